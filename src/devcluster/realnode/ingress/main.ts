/**
 * Entry point of the local cluster's Ingress controller, started by the real node as a detached
 * process: KUBECONFIG (its own client certificate) and INGRESS_LISTEN=host:port from the
 * environment.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { startIngressProxy } from './server.ts';

const log = pino({ name: 'storeplane-dev-ingress' });
const [host, port] = (process.env.INGRESS_LISTEN ?? '127.0.0.1:80').split(':');
const kc = new KubeConfig();
kc.loadFromDefault();
const proxy = await startIngressProxy(kc, { host: host ?? '127.0.0.1', port: Number(port) }, log);
log.info({ listen: `${host}:${port}` }, 'serving Ingresses');
for (const sig of ['SIGTERM', 'SIGINT'] as const)
  process.once(sig, () => {
    void proxy.stop().then(() => process.exit(0));
  });
