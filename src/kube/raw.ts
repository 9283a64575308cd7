import type { Agent as HttpAgent, IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { describeRequest } from './describe-request.ts';

/** A Kubernetes object as the API server sends it: plain JSON, nothing renamed or converted. */
export interface RawObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string }[];
    managedFields?: ManagedFieldsEntry[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

/** A refused request, with what the API server said (its Status object). */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly causes: { field?: string; message?: string; reason?: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface RequestInput {
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
}

const metadataAccept = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

/**
 * JSON requests to the API server for what the typed clients cannot do well: server-side apply
 * dry-runs compared field by field (client-node's models rename and convert fields), metadata-only
 * lists (no Secret data or pod spec is ever transferred), JSON patches of managedFields.
 */
export class RawKube {
  /** API resource lists by group version; bounded by the number of API groups. */
  private readonly discovery = new Map<
    string,
    Promise<{ name: string; kind: string; namespaced: boolean }[]>
  >();

  constructor(
    private readonly kc: KubeConfig,
    private readonly agent: HttpAgent | HttpsAgent,
    private readonly timeoutMs: number,
    private readonly onRequest?: (verb: string, resource: string, dryRun: boolean) => void,
  ) {}

  async request<T>(method: string, path: string, input: RequestInput = {}): Promise<T> {
    const server = this.kc.getCurrentCluster()?.server;
    if (!server) throw new Error('the kubeconfig has no current cluster');
    const url = new URL(server.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(input.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    if (this.onRequest) {
      const d = describeRequest(method, url);
      this.onRequest(d.verb, d.resource, d.dryRun);
    }
    const opts: RequestOptions = { headers: {} };
    await this.kc.applyToHTTPSOptions(opts); // authentication headers (tokens may be refreshed)
    const headers: Record<string, string> = {
      ...(opts.headers as Record<string, string>),
      accept: input.accept ?? 'application/json',
    };
    if (opts.auth) headers.authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    const body = input.body === undefined ? undefined : JSON.stringify(input.body);
    if (body !== undefined) {
      headers['content-type'] = input.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const signal = input.signal
      ? AbortSignal.any([input.signal, AbortSignal.timeout(this.timeoutMs)])
      : AbortSignal.timeout(this.timeoutMs);
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = send(url, { method, headers, agent: this.agent, signal }, resolve);
      req.on('error', reject);
      req.end(body);
    });
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return (text ? JSON.parse(text) : {}) as T;
    let parsed: { reason?: string; message?: string; details?: { causes?: ApiError['causes'] } } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      parsed = { message: text.slice(0, 500) };
    }
    throw new ApiError(
      status,
      parsed.reason ?? '',
      parsed.message ?? `HTTP ${status}`,
      parsed.details?.causes,
    );
  }

  /** The REST path of an object (or of its collection when it has no name). */
  async path(apiVersion: string, kind: string, namespace?: string, name?: string): Promise<string> {
    const resources = await this.resources(apiVersion);
    const r = resources.find((x) => x.kind === kind && !x.name.includes('/'));
    if (!r) throw new Error(`the API server does not serve ${kind} in ${apiVersion}`);
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${base}${ns}/${r.name}${name ? `/${encodeURIComponent(name)}` : ''}`;
  }

  private resources(apiVersion: string) {
    let p = this.discovery.get(apiVersion);
    if (!p) {
      const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      p = this.request<{ resources: { name: string; kind: string; namespaced: boolean }[] }>(
        'GET',
        base,
      ).then((l) => l.resources);
      p.catch(() => this.discovery.delete(apiVersion));
      this.discovery.set(apiVersion, p);
    }
    return p;
  }

  private objectPath(obj: RawObject): Promise<string> {
    const { apiVersion, kind, metadata } = obj;
    if (!apiVersion || !kind || !metadata?.name) throw new Error('object without apiVersion, kind or name');
    return this.path(apiVersion, kind, metadata.namespace, metadata.name);
  }

  /** The live object, or undefined when it does not exist. */
  async get(obj: RawObject): Promise<RawObject | undefined> {
    try {
      return await this.request<RawObject>('GET', await this.objectPath(obj));
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return undefined;
      throw err;
    }
  }

  /** Server-side apply (force), for real or as a dry run that returns what the object would become. */
  async apply(obj: RawObject, opts: { manager: string; dryRun?: boolean }): Promise<RawObject> {
    return this.request<RawObject>('PATCH', await this.objectPath(obj), {
      query: { fieldManager: opts.manager, force: 'true', ...(opts.dryRun ? { dryRun: 'All' } : {}) },
      body: obj,
      contentType: 'application/apply-patch+yaml',
    });
  }

  /** An RFC 6902 JSON patch. */
  async jsonPatch(obj: RawObject, ops: unknown[], manager: string): Promise<RawObject> {
    return this.request<RawObject>('PATCH', await this.objectPath(obj), {
      query: { fieldManager: manager },
      body: ops,
      contentType: 'application/json-patch+json',
    });
  }

  /** An RFC 7386 merge patch (maps merge, lists are replaced). */
  async mergePatch(obj: RawObject, patch: unknown, manager: string): Promise<RawObject> {
    return this.request<RawObject>('PATCH', await this.objectPath(obj), {
      query: { fieldManager: manager },
      body: patch,
      contentType: 'application/merge-patch+json',
    });
  }

  /** Names, labels and versions of a collection: no spec, no data. */
  async listMetadata(path: string, query: Record<string, string | undefined> = {}) {
    return this.request<{ metadata: { resourceVersion?: string }; items: RawObject[] | null }>('GET', path, {
      query,
      accept: metadataAccept,
    });
  }
}
