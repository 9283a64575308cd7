import type { V1Secret } from '@kubernetes/client-node';
import { readOptional } from '../../kube/clients.ts';
import { credentialsSecretName, engineDrivers } from '../../store/engines.ts';
import { namespaceFor } from '../../store/naming.ts';
import { type StageOutcome, type StoreContext, done } from './context.ts';
import { storeLabels } from './manifests.ts';

export const vaultSecretName = (store: string) => `store-${store}-credentials`;

/**
 * The store's credentials: generated once with strong random values and never regenerated.
 * The authoritative copy lives in the operator's namespace (the "vault"), so a Secret deleted
 * from the store namespace is restored with the same values the database already uses.
 */
export async function credentialsStage(ctx: StoreContext): Promise<StageOutcome> {
  const { core } = ctx.deps.clients;
  const vaultNs = ctx.deps.config.namespace;
  const storeNs = namespaceFor(ctx.name);
  const labels = storeLabels(ctx.store);
  let vault = await readOptional(() =>
    core.readNamespacedSecret({ name: vaultSecretName(ctx.name), namespace: vaultNs }),
  );
  const inStore = await readOptional(() =>
    core.readNamespacedSecret({ name: credentialsSecretName, namespace: storeNs }),
  );
  if (!vault) {
    // Adopt existing credentials (the vault was lost) rather than generating new ones.
    const data = inStore?.data ?? generate(ctx);
    vault = await core.createNamespacedSecret({
      namespace: vaultNs,
      body: {
        metadata: { name: vaultSecretName(ctx.name), namespace: vaultNs, labels },
        type: 'Opaque',
        data,
      },
    });
    ctx.event(
      'Normal',
      inStore ? 'CredentialsAdopted' : 'CredentialsGenerated',
      inStore ? 'kept the existing store credentials' : 'generated store credentials',
    );
  }
  const data = vault.data ?? {};
  if (!inStore) {
    await core.createNamespacedSecret({ namespace: storeNs, body: secretBody(storeNs, labels, data) });
    if (ctx.status.conditions?.some((c) => c.type === 'CredentialsReady' && c.status === 'True')) {
      ctx.condition({
        type: 'Drifted',
        status: 'True',
        reason: 'DriftRepaired',
        message: `restored Secret ${credentialsSecretName}`,
      });
      ctx.event(
        'Warning',
        'DriftRepaired',
        `Secret ${credentialsSecretName} was deleted outside Storeplane; restored with the same values`,
      );
    }
  } else if (!sameData(inStore.data, data)) {
    await core.replaceNamespacedSecret({
      name: credentialsSecretName,
      namespace: storeNs,
      body: { ...secretBody(storeNs, labels, data), metadata: { ...inStore.metadata, labels } },
    });
    ctx.condition({
      type: 'Drifted',
      status: 'True',
      reason: 'DriftRepaired',
      message: `restored Secret ${credentialsSecretName}`,
    });
    ctx.event(
      'Warning',
      'DriftRepaired',
      `Secret ${credentialsSecretName} was changed outside Storeplane; restored`,
    );
  }
  ctx.condition({
    type: 'CredentialsReady',
    status: 'True',
    reason: 'Present',
    message: `Secret ${credentialsSecretName} (${Object.keys(data).length} keys)`,
  });
  return done;
}

function generate(ctx: StoreContext): Record<string, string> {
  const gens = engineDrivers[ctx.store.spec.engine].credentials;
  return Object.fromEntries(Object.entries(gens).map(([k, g]) => [k, Buffer.from(g()).toString('base64')]));
}

function secretBody(
  namespace: string,
  labels: Record<string, string>,
  data: Record<string, string>,
): V1Secret {
  return { metadata: { name: credentialsSecretName, namespace, labels }, type: 'Opaque', data };
}

function sameData(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const ak = Object.keys(a ?? {}).sort();
  const bk = Object.keys(b).sort();
  return ak.length === bk.length && ak.every((k, i) => k === bk[i] && a?.[k] === b[k]);
}
