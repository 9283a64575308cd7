import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  type KubeConfig,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node';
import { inject } from 'vitest';
import { kubeConfigFrom } from '../../src/devcluster/kube.ts';
import { withoutClientGoLog } from '../../src/helm/classify.ts';

/** Clients and tools for the cluster the global setup started. */
export function testCluster() {
  const info = inject('cluster');
  const kc = kubeConfigFrom(info.kubeconfig);
  return {
    ...info,
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    rbac: kc.makeApiClient(RbacAuthorizationV1Api),
    kubectl: (...args: string[]) => runTool(join(info.binDir, 'kubectl'), args, info.kubeconfig),
    helm: (...args: string[]) => runTool(join(info.binDir, 'helm'), args, info.kubeconfig),
  };
}

export type TestCluster = ReturnType<typeof testCluster>;

export interface ToolResult {
  code: number;
  stdout: string;
  /** stderr without client-go's informational log lines (see withoutClientGoLog). */
  stderr: string;
  /** Those lines, kept for a failure's message. */
  clientGoInfo: string[];
}

export function runTool(
  binary: string,
  args: string[],
  kubeconfig: string,
  stdin?: string,
): Promise<ToolResult> {
  return new Promise((resolve) => {
    const child = execFile(
      binary,
      args,
      {
        env: {
          ...process.env,
          KUBECONFIG: kubeconfig,
          HELM_CACHE_HOME: join(process.env.TMPDIR ?? '/tmp', 'storeplane-helm-cache'),
        },
        maxBuffer: 64 << 20,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        const { text, clientGo } = withoutClientGoLog(stderr, 'I');
        resolve({ code, stdout, stderr: text, clientGoInfo: clientGo });
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

/** A fresh namespace name unique to this test run. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

export async function createNamespace(kc: KubeConfig, name: string): Promise<string> {
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name } } });
  return name;
}

/** Polls until `check` returns something other than undefined; the message names what was awaited. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs / 1000}s waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`,
      );
    }
    await sleep(250);
  }
}

/** The HTTP status of a failed client-node call. */
export function statusOf(err: unknown): number | undefined {
  return (err as { code?: number }).code;
}
