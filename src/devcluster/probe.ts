import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';

/** GETs a health endpoint; resolves to the HTTP status, or 0 when nothing answered. */
export function probe(url: string, ca?: Buffer, headers?: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const request = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = request(
      url,
      { method: 'GET', timeout: 2000, ...(ca ? { ca } : {}), ...(headers ? { headers } : {}) },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/**
 * Polls `check` until it returns a value, failing early when `alive` says a process died, or
 * after `timeoutMs` with `what` in the message.
 */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined>,
  opts: { timeoutMs: number; intervalMs?: number; alive?: () => Promise<string | undefined> },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    const dead = await opts.alive?.();
    if (dead) throw new Error(`${dead} exited while waiting for ${what}`);
    if (Date.now() > deadline)
      throw new Error(`timed out after ${opts.timeoutMs / 1000}s waiting for ${what}`);
    await sleep(opts.intervalMs ?? 200);
  }
}
