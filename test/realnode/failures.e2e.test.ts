import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { imageRefs } from '../../src/devcluster/images/refs.ts';
import { layerValues, type Values } from '../../src/store/values-layers.ts';
import { condition, OperatorProcess, storeYaml, waitFor, waitForStore } from '../operator/harness.ts';
import { realNode } from './helpers.ts';

const { info, skip, cluster } = realNode();
const root = join(import.meta.dirname, '..', '..');

/** values-devnode.yaml with the Medusa image replaced, as an operator's --chart-values file. */
async function valuesWithImage(name: string, image: { repository: string; tag: string }): Promise<string> {
  const devnode = yaml.load(
    await readFile(join(root, 'charts/medusa-store/values-devnode.yaml'), 'utf8'),
  ) as Values;
  const file = join(info.dataDir, `values-${name}.yaml`);
  await writeFile(file, yaml.dump(layerValues(devnode, { image: { ...image, pullPolicy: 'Never' } })));
  return file;
}

const [repository, tag] = imageRefs.postgres.split(':') as [string, string];
const cases = [
  {
    // An image that is there but cannot run the engine's commands (PostgreSQL's image has no
    // node): the first init container cannot even start, and runc's reason reaches the message.
    store: 'crashing',
    image: { repository, tag },
    reason: 'CrashLoopBackOff',
    message:
      /container wait-for-database keeps crashing \(\d+ restarts; last exit code 128, StartError: .*exec: "node": executable file not found in \$PATH/,
    fix: /kubectl logs -n store-crashing \S+ -c wait-for-database --previous/,
  },
  {
    // An image the node does not have, with a pull policy that forbids fetching it.
    store: 'absent',
    image: { repository: 'localhost/storeplane/medusa-store', tag: 'absent' },
    reason: 'ImageNotPresent',
    message:
      /Container image "localhost\/storeplane\/medusa-store:absent" is not present with pull policy of Never/,
    fix: /import it into the node/,
  },
];

describe.skipIf(skip)(`the operator's diagnosis of real pods (${skip ?? 'real kubelet reasons'})`, () => {
  const c = cluster!;
  let operator: OperatorProcess | undefined;
  afterEach(async () => {
    await operator?.stop();
  });

  for (const tc of cases) {
    it(`a store whose image cannot start shows ${tc.reason} with what to do`, async () => {
      operator = new OperatorProcess(c, [
        '--chart-values',
        `medusa=${await valuesWithImage(tc.store, tc.image)}`,
        '--base-domain',
        'localhost',
      ]);
      await operator.start();
      expect((await c.kubectl(['apply', '-f', '-'], storeYaml(tc.store, { engine: 'medusa' }))).code).toBe(0);
      const s = await waitForStore(
        c,
        tc.store,
        (st) => condition(st, 'Ready')?.reason === tc.reason,
        300_000,
        `Ready=False with reason ${tc.reason}`,
      );
      const ready = condition(s, 'Ready');
      expect(ready?.status).toBe('False');
      expect(ready?.message).toMatch(tc.message);
      expect(ready?.message).toMatch(/ Fix: /);
      expect(ready?.message).toMatch(tc.fix);
      expect(s.status?.phase).not.toBe('Ready');

      expect((await c.kubectl(['delete', 'store', tc.store, '--wait=false'])).code).toBe(0);
      await waitFor(
        `namespace store-${tc.store} gone`,
        async () => (await c.core.listNamespace()).items.map((n) => n.metadata?.name),
        (names) => !names.includes(`store-${tc.store}`),
        300_000,
      );
    });
  }
});
