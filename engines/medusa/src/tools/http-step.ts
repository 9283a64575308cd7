/**
 * One step of a scripted walk through the Medusa HTTP APIs. A failing step throws a StepFailure
 * that names the step and carries the server's own message, so whoever reads the output of
 * `storeplane-medusa order-check` (a person or `helm test`) sees where the order flow broke.
 */
export class StepFailure extends Error {
  constructor(
    readonly step: string,
    readonly detail: string,
  ) {
    super(`${step}: ${detail}`);
    this.name = 'StepFailure';
  }
}

export interface StepRequest {
  step: string;
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
}

/** Sends one JSON request; any network error or non-2xx status becomes a StepFailure. */
export async function jsonStep<T>(req: StepRequest): Promise<T> {
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers: { accept: 'application/json', 'content-type': 'application/json', ...req.headers },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: AbortSignal.timeout(req.timeoutMs ?? 30_000),
    });
  } catch (err) {
    throw new StepFailure(req.step, `${req.method} ${req.url} failed: ${describeError(err)}`);
  }
  const text = await res.text();
  if (!res.ok) {
    throw new StepFailure(req.step, `${req.method} ${req.url} -> HTTP ${res.status}: ${serverMessage(text)}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new StepFailure(req.step, `${req.method} ${req.url} -> HTTP ${res.status} but not JSON`);
  }
}

/** Medusa errors look like {"type":"invalid_data","message":"..."}; fall back to the raw text. */
export function serverMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; type?: unknown };
    if (typeof parsed.message === 'string') {
      return typeof parsed.type === 'string' ? `${parsed.message} (${parsed.type})` : parsed.message;
    }
  } catch {
    // not JSON: use the text as it is
  }
  const trimmed = body.trim();
  return trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed || '(empty body)';
}

function describeError(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
  }
  return String(err);
}
