import { randomBytes } from 'node:crypto';
import type { Engine, Store } from './schema.ts';

/** What the platform needs to know about one engine; one driver per engine. */
export interface EngineDriver {
  engine: Engine;
  /** Chart directory name under charts/. */
  chartName: string;
  adminPath: string;
  /** Pod Security Admission level the engine's pods pass (both engines run `restricted`). */
  podSecurity: 'restricted' | 'baseline';
  /** Ports the web tier may use to reach the database tier (DESIGN.md §6). */
  databasePorts: number[];
  /** Keys of the credentials Secret, each with a generator run once, at first provisioning. */
  credentials: Record<string, () => string>;
}

const secret =
  (bytes = 24) =>
  () =>
    randomBytes(bytes).toString('base64url');
/** A per-store admin name, so no two stores share a guessable admin login. */
const adminName = () => `admin-${randomBytes(4).toString('hex')}`;

export const engineDrivers: Record<Engine, EngineDriver> = {
  woocommerce: {
    engine: 'woocommerce',
    chartName: 'woocommerce-store',
    adminPath: '/wp-admin/',
    podSecurity: 'restricted',
    databasePorts: [3306],
    credentials: {
      'admin-user': adminName,
      'admin-password': secret(18),
      'db-password': secret(),
      'db-root-password': secret(),
      'wp-auth-key': secret(48),
      'wp-secure-auth-key': secret(48),
      'wp-logged-in-key': secret(48),
      'wp-nonce-key': secret(48),
    },
  },
  medusa: {
    engine: 'medusa',
    chartName: 'medusa-store',
    adminPath: '/app/',
    podSecurity: 'restricted',
    // PostgreSQL, and Redis when the chart enables it.
    databasePorts: [5432, 6379],
    credentials: {
      'admin-email': () => `${adminName()}@store.local`,
      'admin-password': secret(18),
      'db-password': secret(),
      'jwt-secret': secret(48),
      'cookie-secret': secret(48),
    },
  },
};

export interface ExposeConfig {
  /** Stores are served at <store>.<baseDomain>. */
  baseDomain: string;
  tls: boolean;
  ingressClassName?: string;
}

export function storeUrls(store: Store, expose: ExposeConfig): { url: string; adminUrl: string } {
  const host = `${store.metadata.name}.${expose.baseDomain}`;
  const url = `${expose.tls ? 'https' : 'http'}://${host}/`;
  return { url, adminUrl: new URL(engineDrivers[store.spec.engine].adminPath, url).toString() };
}

export const credentialsSecretName = 'store-credentials';
export const workloadServiceAccount = 'store-workload';

/** The values every engine chart receives (its values.schema.json describes the rest). */
export function releaseValues(store: Store, expose: ExposeConfig): Record<string, unknown> {
  const host = `${store.metadata.name}.${expose.baseDomain}`;
  return {
    store: {
      name: store.metadata.name,
      displayName: store.spec.displayName,
      owner: store.spec.owner,
      plan: store.spec.plan,
    },
    existingSecret: credentialsSecretName,
    serviceAccountName: workloadServiceAccount,
    ingress: {
      host,
      tls: expose.tls,
      ...(expose.ingressClassName ? { className: expose.ingressClassName } : {}),
    },
  };
}
