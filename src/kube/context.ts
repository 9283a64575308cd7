import { KubeConfig, VersionApi } from '@kubernetes/client-node';

/** What the environment says about which cluster to use. */
export interface ContextProbe {
  /** KUBECONFIG was set explicitly: the user chose a cluster. */
  explicit: boolean;
  /** Name of the current context, if a kubeconfig has one. */
  context?: string;
  server?: string;
  /** Server version when it answered, else the error. */
  version?: string;
  error?: string;
}

export type ClusterChoice =
  | { use: 'context'; context: string; server: string; version: string }
  | { use: 'dev-cluster'; note?: string }
  | { use: 'none'; error: string };

/**
 * Decides where the platform runs. An explicit KUBECONFIG is honoured or refused, never silently
 * replaced; a default kubeconfig that does not answer falls back to the simulated cluster.
 */
export function chooseCluster(p: ContextProbe, forceDev = false): ClusterChoice {
  if (forceDev) return { use: 'dev-cluster' };
  if (p.context && p.server && p.version) {
    return { use: 'context', context: p.context, server: p.server, version: p.version };
  }
  if (p.explicit) {
    const where = p.context ? `context "${p.context}" (${p.server ?? 'no server'})` : 'no current context';
    return {
      use: 'none',
      error: `KUBECONFIG is set but ${where} is not reachable: ${p.error ?? 'unknown error'}. Fix it, or unset KUBECONFIG (or pass --dev-cluster) to use the local simulated cluster.`,
    };
  }
  if (p.context) {
    return {
      use: 'dev-cluster',
      note: `kube context "${p.context}" did not answer (${p.error ?? 'unknown error'})`,
    };
  }
  return { use: 'dev-cluster' };
}

/** The kubeconfig at `path`, or the default one (KUBECONFIG, ~/.kube/config, in-cluster). */
export function loadKubeConfig(path?: string): KubeConfig {
  const kc = new KubeConfig();
  if (path) kc.loadFromFile(path);
  else kc.loadFromDefault();
  return kc;
}

/** Looks at KUBECONFIG / ~/.kube/config and asks the current context's server for its version. */
export async function probeCurrentContext(timeoutMs = 3000): Promise<ContextProbe> {
  const explicit = Boolean(process.env.KUBECONFIG);
  const kc = new KubeConfig();
  try {
    kc.loadFromDefault();
  } catch (err) {
    return { explicit, error: `cannot read kubeconfig: ${(err as Error).message}` };
  }
  const context = kc.getCurrentContext() || undefined;
  const server = kc.getCurrentCluster()?.server;
  // loadFromDefault falls back to in-cluster or localhost:8080 config; neither is "configured".
  if (!context || !server || context === 'loaded-context') return { explicit, error: 'no current context' };
  try {
    const api = kc.makeApiClient(VersionApi);
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000}s`)), timeoutMs).unref(),
    );
    const info = await Promise.race([api.getCode(), timeout]);
    return { explicit, context, server, version: info.gitVersion };
  } catch (err) {
    return { explicit, context, server, error: (err as Error).message.split('\n')[0] };
  }
}
