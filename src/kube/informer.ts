import {
  type Informer,
  type KubeConfig,
  type KubernetesObject,
  type ListPromise,
  makeInformer,
  type ObjectCache,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';

export type ResilientInformer<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;

/**
 * An informer that restarts after every watch error, not only 410 Gone (client-node stops on
 * any other error), with backoff from 1 s to 30 s.
 */
export function resilientInformer<T extends KubernetesObject>(
  kc: KubeConfig,
  path: string,
  list: ListPromise<T>,
  log: Logger,
  labelSelector?: string,
): ResilientInformer<T> & { stopForGood(): Promise<void> } {
  const informer = makeInformer<T>(kc, path, list, labelSelector);
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
      await informer.stop();
    },
  });
}
