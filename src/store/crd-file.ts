import { fileURLToPath } from 'node:url';

/** The Store CRD as `kubectl apply -f deploy/crds` takes it. */
export const crdPath = fileURLToPath(
  new URL('../../deploy/crds/stores.storeplane.dev.yaml', import.meta.url),
);

/**
 * The same CRD inside the platform chart, which renders it as a template (so `helm upgrade`
 * upgrades it; docs/adr/0014). Helm cannot read files outside a chart, hence a second copy,
 * generated with the first and checked equal to it.
 */
export const chartCrdPath = fileURLToPath(
  new URL('../../charts/storeplane/files/crds/stores.storeplane.dev.yaml', import.meta.url),
);
