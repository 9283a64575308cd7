/** A kubeconfig for one user of the local cluster, as YAML-compatible JSON. */
export function renderKubeconfig(opts: {
  server: string;
  caFile: string;
  /** A bearer token, or a client certificate and key (files). */
  token?: string;
  cert?: { certFile: string; keyFile: string };
  name?: string;
}): string {
  const name = opts.name ?? 'storeplane-dev';
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: opts.server, 'certificate-authority': opts.caFile } }],
    users: [
      {
        name: `${name}-user`,
        user: opts.cert
          ? { 'client-certificate': opts.cert.certFile, 'client-key': opts.cert.keyFile }
          : { token: opts.token },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: `${name}-user` } }],
    'current-context': name,
  };
  // JSON is valid YAML, and every Kubernetes client reads it.
  return `${JSON.stringify(config, null, 2)}\n`;
}
