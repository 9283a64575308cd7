import {
  AppsV1Api,
  BatchV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  NetworkingV1Api,
  PatchStrategy,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node';

/** The typed clients the platform uses, made once per KubeConfig. */
export interface KubeClients {
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  networking: NetworkingV1Api;
  rbac: RbacAuthorizationV1Api;
  coordination: CoordinationV1Api;
  custom: CustomObjectsApi;
  objects: KubernetesObjectApi;
}

export function makeClients(kc: KubeConfig): KubeClients {
  return {
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    networking: kc.makeApiClient(NetworkingV1Api),
    rbac: kc.makeApiClient(RbacAuthorizationV1Api),
    coordination: kc.makeApiClient(CoordinationV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    objects: KubernetesObjectApi.makeApiClient(kc),
  };
}

export const fieldManager = 'storeplane';

/** Server-side apply under our field manager; `force` takes fields back from other managers. */
export function apply<T extends KubernetesObject>(clients: KubeClients, obj: T): Promise<T> {
  return clients.objects.patch(obj, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply);
}

export function httpStatus(err: unknown): number | undefined {
  const code = (err as { code?: unknown }).code;
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
