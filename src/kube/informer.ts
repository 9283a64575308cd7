import {
  type Informer,
  type KubeConfig,
  type KubernetesObject,
  type ListPromise,
  ListWatch,
  type ObjectCache,
  Watch,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';

export type ResilientInformer<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;

/**
 * An informer that restarts after every watch error, not only 410 Gone (client-node stops on
 * any other error), with backoff from 1 s to 30 s. `stopForGood` also ends a watch that was
 * still being opened (client-node's own stop misses it, and that open watch kept a stopped
 * process alive).
 */
export function resilientInformer<T extends KubernetesObject>(
  kc: KubeConfig,
  path: string,
  list: ListPromise<T>,
  log: Logger,
  labelSelector?: string,
): ResilientInformer<T> & { stopForGood(): Promise<void> } {
  const watch = new ClosableWatch(kc);
  const informer = new ListWatch<T>(path, watch, list, false, labelSelector);
  let delay = 1000;
  let stopped = false;
  informer.on('connect', () => {
    delay = 1000;
  });
  informer.on('error', (err: unknown) => {
    if (stopped) return;
    log.warn({ path, err: String(err) }, `watch failed; restarting in ${delay / 1000}s`);
    setTimeout(() => {
      if (!stopped) informer.start().catch(() => {});
    }, delay).unref();
    delay = Math.min(delay * 2, 30_000);
  });
  return Object.assign(informer, {
    async stopForGood() {
      stopped = true;
      watch.close();
      await informer.stop();
    },
  });
}

/**
 * client-node's Watch, closable for good: close() aborts every open watch, and a watch that
 * opens afterwards (its request was in flight, or its list was) is aborted as soon as it opens.
 */
export class ClosableWatch extends Watch {
  private closed = false;
  private readonly open = new Set<AbortController>();

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    // `done` can come before the controller does (a refused request ends inside watch()).
    let ended = false;
    const opened: { controller?: AbortController } = {};
    const controller = await super.watch(path, queryParams, callback, (err) => {
      ended = true;
      if (opened.controller) this.open.delete(opened.controller);
      done(err);
    });
    opened.controller = controller;
    if (this.closed) controller.abort();
    else if (!ended) this.open.add(controller);
    return controller;
  }

  close(): void {
    this.closed = true;
    for (const c of this.open) c.abort();
    this.open.clear();
  }
}
