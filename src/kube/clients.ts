import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent, type RequestOptions } from 'node:https';
import {
  AppsV1Api,
  BatchV1Api,
  CoordinationV1Api,
  CoreV1Api,
  createConfiguration,
  CustomObjectsApi,
  type HttpLibrary,
  IsomorphicFetchHttpLibrary,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  NetworkingV1Api,
  PatchStrategy,
  RbacAuthorizationV1Api,
  type RequestContext,
  ServerConfiguration,
  StorageV1Api,
} from '@kubernetes/client-node';
import { fieldManager } from '../store/keys.ts';
import { describeRequest, type RequestObserver } from './describe-request.ts';
import { RawKube } from './raw.ts';

export type { RequestObserver };

/** The typed clients the platform uses, made once per KubeConfig. */
export interface KubeClients {
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  networking: NetworkingV1Api;
  rbac: RbacAuthorizationV1Api;
  storage: StorageV1Api;
  coordination: CoordinationV1Api;
  custom: CustomObjectsApi;
  objects: KubernetesObjectApi;
  /** Untyped JSON requests: server-side apply dry-runs, metadata-only lists, JSON patches. */
  raw: RawKube;
  /** Closes the kept-alive connections. */
  close(): void;
}

export interface ClientOptions {
  /** Every request is aborted after this long (watches use their own connections). */
  timeoutMs?: number;
  /** Told of every request (for the operator's own request metrics). */
  onRequest?: RequestObserver;
}

/**
 * client-node builds a new https.Agent for every request, so every call pays a TLS handshake and
 * no request has a timeout. This library sends through one kept-alive agent and gives each
 * request a deadline, so a partitioned API server cannot hang a reconcile or a lease renewal.
 */
class BoundedHttpLibrary implements HttpLibrary {
  private readonly inner = new IsomorphicFetchHttpLibrary();
  constructor(
    private readonly agent: HttpAgent | HttpsAgent,
    private readonly timeoutMs: number,
    private readonly onRequest?: RequestObserver,
  ) {}
  send(request: RequestContext) {
    if (this.onRequest) {
      const d = describeRequest(request.getHttpMethod().toString(), new URL(request.getUrl()));
      this.onRequest(d.verb, d.resource, d.dryRun);
    }
    request.setAgent(this.agent);
    const own = request.getSignal();
    const deadline = AbortSignal.timeout(this.timeoutMs);
    request.setSignal(own ? AbortSignal.any([own, deadline]) : deadline);
    return this.inner.send(request);
  }
}

/** TLS material of the current context (CA, client certificate) as agent options. */
export async function agentFor(kc: KubeConfig): Promise<HttpAgent | HttpsAgent> {
  const server = kc.getCurrentCluster()?.server ?? '';
  if (server.startsWith('http:')) return new HttpAgent({ keepAlive: true, maxSockets: 64 });
  const opts: RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  return new HttpsAgent({
    ca: opts.ca,
    cert: opts.cert,
    key: opts.key,
    pfx: opts.pfx,
    passphrase: opts.passphrase,
    servername: opts.servername,
    ...(opts.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: opts.rejectUnauthorized }),
    keepAlive: true,
    maxSockets: 64,
  });
}

function apiClient<T>(
  kc: KubeConfig,
  Api: new (config: ReturnType<typeof createConfiguration>) => T,
  httpApi: HttpLibrary,
): T {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig has no current cluster');
  return new Api(
    createConfiguration({
      baseServer: new ServerConfiguration(server, {}),
      authMethods: { default: kc },
      httpApi,
    }),
  );
}

export async function makeClients(kc: KubeConfig, opts: ClientOptions = {}): Promise<KubeClients> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const agent = await agentFor(kc);
  const http = new BoundedHttpLibrary(agent, timeoutMs, opts.onRequest);
  const objects = apiClient(kc, KubernetesObjectApi, http);
  return {
    kc,
    core: apiClient(kc, CoreV1Api, http),
    apps: apiClient(kc, AppsV1Api, http),
    batch: apiClient(kc, BatchV1Api, http),
    networking: apiClient(kc, NetworkingV1Api, http),
    rbac: apiClient(kc, RbacAuthorizationV1Api, http),
    storage: apiClient(kc, StorageV1Api, http),
    coordination: apiClient(kc, CoordinationV1Api, http),
    custom: apiClient(kc, CustomObjectsApi, http),
    objects,
    raw: new RawKube(kc, agent, timeoutMs, opts.onRequest),
    close: () => agent.destroy(),
  };
}

/** Server-side apply under our field manager; `force` takes fields back from other managers. */
export function apply<T extends KubernetesObject>(clients: KubeClients, obj: T): Promise<T> {
  return clients.objects.patch(obj, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply);
}

export function httpStatus(err: unknown): number | undefined {
  const code =
    (err as { code?: unknown; statusCode?: unknown }).code ?? (err as { statusCode?: unknown }).statusCode;
  return typeof code === 'number' ? code : undefined;
}

export const isNotFound = (err: unknown) => httpStatus(err) === 404;
export const isConflict = (err: unknown) => httpStatus(err) === 409;

/** Reads an object, or undefined when it does not exist. */
export async function readOptional<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Runs a delete, treating "already gone" as success. */
export async function deleteOptional(del: () => Promise<unknown>): Promise<void> {
  try {
    await del();
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** The API server's message of a failed request, for status and logs. */
export function apiMessage(err: unknown): string {
  const body = (err as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      return (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      return body;
    }
  }
  if (body && typeof body === 'object' && 'message' in body)
    return String((body as { message: unknown }).message);
  return err instanceof Error ? err.message : String(err);
}
