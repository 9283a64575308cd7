import { type Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import { createInterface } from 'node:readline';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { RawKube, RawObject } from './raw.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface MetadataWatchOptions {
  kc: KubeConfig;
  raw: RawKube;
  agent: HttpsAgent | HttpAgent;
  /** Collection path, e.g. /api/v1/pods (all namespaces). */
  path: string;
  labelSelector?: string;
  onEvent: (type: WatchEventType, obj: RawObject) => void;
  log: Logger;
}

const accept = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

/**
 * A metadata-only watch used as a trigger: it tells which object changed (namespace, name,
 * labels) and nothing else, so watching pods or Deployments across store namespaces transfers
 * and keeps no spec, env or Secret data. No cache: the reconcile reads what it needs. It lists
 * once for a resourceVersion, watches from there, resumes after the server closes the stream,
 * and lists again after 410 Gone or any error (backoff 1 s to 30 s). A stream that stays silent
 * longer than the server's own timeout plus a margin is treated as dead (a partition).
 */
export function watchMetadata(o: MetadataWatchOptions): { stop: () => void; synced: () => boolean } {
  let stopped = false;
  let synced = false;
  // Aborted by stop(): also ends a stream whose request was still being made then.
  const life = new AbortController();
  let delay = 1000;
  const timeoutSeconds = 300;

  async function stream(resourceVersion: string): Promise<string | undefined> {
    const server = o.kc.getCurrentCluster()?.server ?? '';
    const url = new URL(server.replace(/\/$/, '') + o.path);
    url.searchParams.set('watch', 'true');
    url.searchParams.set('allowWatchBookmarks', 'true');
    url.searchParams.set('resourceVersion', resourceVersion);
    url.searchParams.set('timeoutSeconds', String(timeoutSeconds));
    if (o.labelSelector) url.searchParams.set('labelSelector', o.labelSelector);
    const opts: RequestOptions = { headers: {} };
    await o.kc.applyToHTTPSOptions(opts);
    const headers = { ...(opts.headers as Record<string, string>), accept };
    const abort = new AbortController();
    const signal = AbortSignal.any([life.signal, abort.signal]);
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = send(url, { headers, agent: o.agent, signal }, resolve);
      req.on('error', reject);
      req.end();
    });
    if (res.statusCode !== 200) {
      res.resume();
      throw new Error(`watch ${o.path}: HTTP ${res.statusCode}`);
    }
    let rv: string | undefined = resourceVersion;
    let silence: NodeJS.Timeout | undefined;
    const heard = () => {
      clearTimeout(silence);
      silence = setTimeout(() => abort.abort(), (timeoutSeconds + 60) * 1000);
      silence.unref();
    };
    heard();
    try {
      for await (const line of createInterface({ input: res })) {
        heard();
        if (!line) continue;
        const e = JSON.parse(line) as { type: string; object: RawObject & { code?: number } };
        if (e.type === 'ERROR') return e.object.code === 410 ? undefined : rv;
        rv = e.object.metadata?.resourceVersion ?? rv;
        if (e.type === 'ADDED' || e.type === 'MODIFIED' || e.type === 'DELETED') o.onEvent(e.type, e.object);
      }
    } finally {
      clearTimeout(silence);
    }
    return rv;
  }

  void (async () => {
    let rv: string | undefined;
    while (!stopped) {
      try {
        if (!rv) {
          const list = await o.raw.listMetadata(o.path, { labelSelector: o.labelSelector, limit: '1' });
          rv = list.metadata.resourceVersion;
          synced = true;
        }
        rv = rv ? await stream(rv) : undefined;
        delay = 1000;
      } catch (err) {
        if (stopped) return;
        rv = undefined;
        o.log.warn({ path: o.path, err: String(err) }, `watch failed; restarting in ${delay / 1000}s`);
        await new Promise((r) => setTimeout(r, delay).unref());
        delay = Math.min(delay * 2, 30_000);
      }
    }
  })();

  return {
    stop: () => {
      stopped = true;
      life.abort();
    },
    synced: () => synced,
  };
}
