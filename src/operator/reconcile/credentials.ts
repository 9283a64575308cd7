import type { V1Secret } from '@kubernetes/client-node';
import { deleteOptional, readOptional } from '../../kube/clients.ts';
import { credentialsSecretName, engineDrivers } from '../../store/engines.ts';
import { events, fieldManager, labels, reasons } from '../../store/keys.ts';
import { done, type StageOutcome } from '../decide/outcome.ts';
import type { StoreContext } from './context.ts';
import { storeLabels } from './manifests.ts';

export const vaultSecretName = (store: string) => `store-${store}-credentials`;

/**
 * The store's credentials: generated once with strong random values and never regenerated.
 * The authoritative copy lives in the operator's namespace (the "vault"), so a Secret deleted
 * from the store namespace is restored with the same values the database already uses. The vault
 * copy names the Store's UID: one left over from a deleted store of the same name is not reused.
 */
export async function credentialsStage(ctx: StoreContext): Promise<StageOutcome> {
  const { core } = ctx.deps.clients;
  const vaultNs = ctx.deps.config.namespace;
  const storeNs = ctx.namespace;
  const uid = ctx.store.metadata.uid ?? '';
  const labelsOf = { ...storeLabels(ctx.store), [labels.storeUid]: uid };
  let vault = await readOptional(() =>
    core.readNamespacedSecret({ name: vaultSecretName(ctx.name), namespace: vaultNs }),
  );
  const inStore = await readOptional(() =>
    core.readNamespacedSecret({ name: credentialsSecretName, namespace: storeNs }),
  );
  const vaultUid = vault?.metadata?.labels?.[labels.storeUid];
  if (vault && vaultUid && vaultUid !== uid) {
    // Left by a deleted store of the same name whose cleanup did not finish.
    await deleteOptional(() =>
      core.deleteNamespacedSecret({ name: vaultSecretName(ctx.name), namespace: vaultNs }),
    );
    vault = undefined;
  }
  if (!vault) {
    // Adopt the store namespace's credentials (the vault was lost) rather than generating new ones.
    const data = inStore?.data ?? generate(ctx);
    vault = await core.createNamespacedSecret({
      namespace: vaultNs,
      body: {
        metadata: { name: vaultSecretName(ctx.name), namespace: vaultNs, labels: labelsOf },
        type: 'Opaque',
        data,
      },
    });
    ctx.event(
      'Normal',
      inStore ? events.credentialsAdopted : events.credentialsGenerated,
      inStore ? 'kept the existing store credentials' : 'generated store credentials',
    );
  } else if (!vaultUid) {
    await ctx.deps.clients.raw.mergePatch(
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: vaultSecretName(ctx.name), namespace: vaultNs } },
      { metadata: { labels: { [labels.storeUid]: uid } } },
      fieldManager,
    );
  }
  const data = vault.data ?? {};
  const wasReady = ctx.status.conditions?.some((c) => c.type === 'CredentialsReady' && c.status === 'True');
  if (!inStore) {
    await core.createNamespacedSecret({
      namespace: storeNs,
      body: secretBody(storeNs, storeLabels(ctx.store), data),
    });
    if (wasReady)
      ctx.event(
        'Warning',
        events.driftRepaired,
        `Secret ${credentialsSecretName} was deleted; restored with the same values`,
      );
  } else if (!sameData(inStore.data, data)) {
    await core.replaceNamespacedSecret({
      name: credentialsSecretName,
      namespace: storeNs,
      body: {
        ...secretBody(storeNs, storeLabels(ctx.store), data),
        metadata: { ...inStore.metadata, labels: storeLabels(ctx.store) },
      },
    });
    ctx.event('Warning', events.driftRepaired, `Secret ${credentialsSecretName} was changed; restored`);
  }
  ctx.condition({
    type: 'CredentialsReady',
    status: 'True',
    reason: reasons.present,
    message: `Secret ${credentialsSecretName} (${Object.keys(data).length} keys)`,
  });
  return done;
}

function generate(ctx: StoreContext): Record<string, string> {
  const gens = engineDrivers[ctx.store.spec.engine].credentials;
  return Object.fromEntries(Object.entries(gens).map(([k, g]) => [k, Buffer.from(g()).toString('base64')]));
}

function secretBody(namespace: string, l: Record<string, string>, data: Record<string, string>): V1Secret {
  return { metadata: { name: credentialsSecretName, namespace, labels: l }, type: 'Opaque', data };
}

function sameData(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const ak = Object.keys(a ?? {}).sort();
  const bk = Object.keys(b).sort();
  return ak.length === bk.length && ak.every((k, i) => k === bk[i] && a?.[k] === b[k]);
}
