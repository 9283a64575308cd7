import { fileURLToPath } from 'node:url';

export const crdPath = fileURLToPath(
  new URL('../../deploy/crds/stores.storeplane.dev.yaml', import.meta.url),
);
