import yaml from 'js-yaml';
import { storeNameMax, storeNameMin, storeNamePattern } from './naming.ts';
import { storeGroup, storePlural, storeVersion } from './keys.ts';
import { StoreSpec, StoreStatus } from './schema.ts';
import { toStructural } from './schema-kit.ts';

/**
 * The Store CRD, generated from the one schema. `npm run gen:crd` writes it to deploy/crds.
 * A plain object on purpose: client-node's typed serializer would drop `enum` and the
 * `x-kubernetes-*` keys (it knows them only as `_enum`, `xKubernetesValidations`, ...).
 */
export function storeCrd() {
  const nameRule = `size(self.metadata.name) >= ${storeNameMin} && size(self.metadata.name) <= ${storeNameMax} && self.metadata.name.matches('${storeNamePattern}')`;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${storePlural}.${storeGroup}` },
    spec: {
      group: storeGroup,
      scope: 'Cluster',
      names: {
        kind: 'Store',
        listKind: 'StoreList',
        plural: storePlural,
        singular: 'store',
        shortNames: ['st'],
        categories: ['storeplane'],
      },
      versions: [
        {
          name: storeVersion,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Engine', type: 'string', jsonPath: '.spec.engine' },
            { name: 'Owner', type: 'string', jsonPath: '.spec.owner' },
            { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
            { name: 'URL', type: 'string', jsonPath: '.status.url' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description:
                'A Store is one e-commerce shop (WooCommerce or Medusa) in its own namespace store-<name>.',
              required: ['spec'],
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: toStructural(StoreSpec) as object,
                status: toStructural(StoreStatus) as object,
              },
              'x-kubernetes-validations': [
                {
                  rule: nameRule,
                  message: `store name must be ${storeNameMin} to ${storeNameMax} lower-case letters, digits or "-", starting with a letter and ending with a letter or digit`,
                },
              ],
            },
          },
        },
      ],
    },
  };
}

/** The checked-in manifest (deterministic, so a test can compare it byte for byte). */
export function renderStoreCrd(): string {
  return `# Generated from src/store/schema.ts by \`npm run gen:crd\`. Do not edit.\n${yaml.dump(storeCrd(), { noRefs: true, lineWidth: 120 })}`;
}
