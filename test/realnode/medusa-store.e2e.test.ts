import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeName } from '../../src/devcluster/realnode/configs.ts';
import { readState } from '../../src/devcluster/state.ts';
import { AdminApi } from '../medusa/harness/admin.ts';
import { launchChromium, watchForErrors } from '../medusa/harness/browser.ts';
import { addToCart, checkOutCloudTee } from '../medusa/harness/checkout.ts';
import { isReady, OperatorProcess, storeYaml, waitFor, waitForStore } from '../operator/harness.ts';
import {
  exec,
  fetchFrom,
  hardened,
  hostListener,
  podManifest,
  podReady,
  realNode,
  sleeper,
} from './helpers.ts';

const { info, skip, cluster } = realNode();
const root = join(import.meta.dirname, '..', '..');
const results = join(root, 'test-results', 'realnode');
const store = 'shop';
const ns = `store-${store}`;

/** A TCP connect from inside a pod that has Node.js (the Medusa image): "open", or why not. */
const connectFrom = (host: string, port: number) => [
  'node',
  '-e',
  `const s=require('net').connect(${port},${JSON.stringify(host)});` +
    `s.on('connect',()=>{console.log('open');process.exit(0)});` +
    `s.on('error',e=>{console.log(e.code);process.exit(1)});` +
    `setTimeout(()=>{console.log('timeout');process.exit(2)},4000)`,
];

describe.skipIf(skip)(`a Medusa store on the real node (${skip ?? 'for real'})`, () => {
  const c = cluster!;
  let operator: OperatorProcess;
  let browser: Browser | undefined;
  const pods = async () => (await c.core.listNamespacedPod({ namespace: ns })).items;
  const podOf = async (component: string): Promise<V1Pod> => {
    const found = (await pods()).find(
      (p) =>
        p.metadata?.labels?.['app.kubernetes.io/component'] === component && p.status?.phase === 'Running',
    );
    if (!found) throw new Error(`no running ${component} pod in ${ns}`);
    return found;
  };
  const secret = async (key: string) => {
    const s = await c.core.readNamespacedSecret({ name: 'store-credentials', namespace: ns });
    return Buffer.from(s.data?.[key] ?? '', 'base64').toString();
  };

  beforeAll(async () => {
    operator = new OperatorProcess(c, [
      '--chart-values',
      `medusa=${join(root, 'charts/medusa-store/values-devnode.yaml')}`,
      '--base-domain',
      'localhost',
    ]);
    await operator.start();
  });
  afterAll(async () => {
    await browser?.close();
    await operator?.stop();
  });

  let createdAt = 0;
  let readyAfter = 0;

  it(
    'is provisioned by the operator and Ready only once its real probes pass',
    { timeout: 960_000 },
    async () => {
      createdAt = Date.now();
      const r = await c.kubectl(
        ['apply', '-f', '-'],
        storeYaml(store, { engine: 'medusa', displayName: 'Harbor & Co.', owner: 'ana@example.com' }),
      );
      expect(r.code).toBe(0);
      const ready = await waitForStore(c, store, isReady, 900_000, 'Ready').catch(async (err: unknown) => {
        // What a person would look at first: the pods and the namespace's recent events.
        const seen = await c.kubectl(['get', 'pods,events', '-n', ns, '-o', 'wide']);
        process.stderr.write(`[real node] store not Ready:\n${seen.stdout}${seen.stderr}\n`);
        throw err;
      });
      readyAfter = (Date.now() - createdAt) / 1000;
      process.stderr.write(`[real node] Medusa store create-to-Ready: ${readyAfter.toFixed(1)}s\n`);

      // Every pod of the store ran on the real node, and every container really started and is ready.
      const all = await pods();
      const running = all.filter((p) => p.status?.phase === 'Running');
      expect(running.map((p) => p.metadata?.labels?.['app.kubernetes.io/component']).sort()).toEqual([
        'database',
        'server',
        'storefront',
      ]);
      for (const p of all)
        expect({ pod: p.metadata?.name, node: p.spec?.nodeName }).toEqual({
          pod: p.metadata?.name,
          node: nodeName,
        });
      for (const p of running) {
        for (const cs of p.status?.containerStatuses ?? []) {
          expect({
            container: cs.name,
            started: cs.started,
            ready: cs.ready,
            running: !!cs.state?.running,
          }).toEqual({
            container: cs.name,
            started: true,
            ready: true,
            running: true,
          });
          // A real runtime's container id, not KWOK's.
          expect(cs.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
        }
      }
      // The seed Job ran to completion for real (its pod log is the seed's own).
      const seed = all.find((p) => p.metadata?.labels?.['app.kubernetes.io/component'] === 'seed');
      if (seed) expect(seed.status?.phase).toBe('Succeeded');
      expect(ready.status?.url).toBe(`http://${store}.localhost/`);
      // The database's volume is a real directory of the node.
      const pvc = (await c.core.listNamespacedPersistentVolumeClaim({ namespace: ns })).items[0];
      expect(pvc?.spec?.storageClassName).toBe('local-path');
      expect(pvc?.status?.phase).toBe('Bound');
    },
  );

  it('passes `helm test`: the order check places a real order from a pod', async () => {
    // --logs: the check pod's own account of a failure lands in the assertion.
    const r = await c.helm(['test', store, '-n', ns, '--timeout', '5m', '--logs']);
    expect({ code: r.code, err: r.stderr, out: r.code ? r.stdout : '' }).toEqual({
      code: 0,
      err: '',
      out: '',
    });
    expect(r.stdout).toMatch(/Phase:\s+Succeeded/);
  });

  it('takes an order in Chromium through the Ingress, and the admin API sees it', async () => {
    const state = await readState(info.dataDir);
    const ingress = state?.realNode?.ingress;
    expect(ingress).toBeDefined();
    // Chromium resolves *.localhost to the loopback address by itself.
    const storefront = `http://${store}.localhost${ingress?.port === 80 ? '' : `:${ingress?.port}`}`;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    const errors = watchForErrors(page);
    await page.goto(storefront);
    await page.getByRole('heading', { name: 'Harbor & Co.' }).waitFor();
    await addToCart(page, storefront, 'Cloud Tee', 'M');
    const email = `real-node-${Date.now()}@example.com`;
    const { orderId, orderNumber } = await checkOutCloudTee(page, email);
    await mkdir(results, { recursive: true });
    await page.screenshot({ path: join(results, 'order-confirmation.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();

    // The owner's view: the admin API of this store's server (its Service, from the host).
    const server = await c.core.readNamespacedService({ name: `${store}-server`, namespace: ns });
    const port = server.spec?.ports?.[0]?.port;
    const admin = await AdminApi.login(
      `http://${server.spec?.clusterIP}:${port}`,
      await secret('admin-email'),
      await secret('admin-password'),
    );
    const order = await admin.order(orderId);
    expect(order).toMatchObject({
      display_id: Number(orderNumber.slice(1)),
      email,
      total: 29,
      currency_code: 'usd',
    });
  });

  describe('its NetworkPolicies, enforced', () => {
    const neutral = 'realnode-neutral';
    const other = 'other';
    let listener: Awaited<ReturnType<typeof hostListener>>;

    beforeAll(async () => {
      listener = await hostListener(info.hostIp);
      // A namespace without policies, and another store (its pods on the fake nodes, its namespace
      // and guardrails real) with a probe pod of ours on the real node, labelled as its web tier.
      await c.kubectl(['create', 'namespace', neutral]);
      await c.kubectl(
        ['apply', '-f', '-'],
        podManifest(neutral, 'probe', { containers: [{ ...sleeper, securityContext: hardened }] }),
      );
      await c.kubectl(['apply', '-f', '-'], storeYaml(other, { engine: 'woocommerce' }));
      await waitForStore(c, other, isReady, 300_000, 'Ready');
      await c.kubectl(
        ['apply', '-f', '-'],
        podManifest(
          `store-${other}`,
          'probe',
          { containers: [{ ...sleeper, securityContext: hardened }] },
          { 'storeplane.dev/role': 'web' },
        ),
      );
      await podReady(c, neutral, 'probe');
      await podReady(c, `store-${other}`, 'probe');
    });
    afterAll(async () => {
      await listener?.close();
      await c.kubectl(['delete', 'namespace', neutral, '--wait=false']);
      await c.kubectl(['delete', 'store', other, '--wait=false']);
    });

    it('the storefront reaches the database on its port only', async () => {
      const sf = await podOf('storefront');
      const db = await podOf('database');
      const dbIp = db.status?.podIP as string;
      // A listener of ours inside the database pod on another port (perl comes with PostgreSQL).
      const listen = await exec(c, ns, db.metadata?.name as string, [
        'bash',
        '-c',
        `nohup perl -MIO::Socket::INET -e '$s=IO::Socket::INET->new(LocalPort=>5433,Listen=>5,ReuseAddr=>1) or die $!; while($c=$s->accept){print $c "hi\\n"; close $c}' >/dev/null 2>&1 &`,
      ]);
      expect(listen.code).toBe(0);
      // The listener answers from the node (node traffic is allowed), so a refusal below is the policy's.
      await waitFor(
        'the listener on 5433',
        () => tcpOpen(dbIp, 5433),
        (open) => open,
        15_000,
      );
      const sfName = sf.metadata?.name as string;
      expect((await exec(c, ns, sfName, connectFrom(dbIp, 5432))).stdout.trim()).toBe('open');
      const other = await exec(c, ns, sfName, connectFrom(dbIp, 5433));
      expect(other.stdout.trim()).not.toBe('open');
      expect(other.code).not.toBe(0);
    });

    it("another store's pods and other namespaces cannot reach it; the node can", async () => {
      const serverPod = await podOf('server');
      const url = `http://${serverPod.status?.podIP}:9000/health`;
      expect((await fetch(url)).status).toBe(200);
      for (const [namespace, pod] of [
        [`store-${other}`, 'probe'],
        [neutral, 'probe'],
      ] as const) {
        const r = await exec(c, namespace, pod, fetchFrom(url, 4));
        expect({ namespace, code: r.code === 0 ? 0 : 'refused', out: r.stdout }).toEqual({
          namespace,
          code: 'refused',
          out: '',
        });
      }
      // The neutral probe itself has a way out (so its refusal above is the store's policy).
      expect((await exec(c, neutral, 'probe', fetchFrom(listener.url))).stdout).toBe('host listener\n');
    });

    it('its pods resolve names through cluster DNS but reach nothing outside the store', async () => {
      const serverPod = (await podOf('server')).metadata?.name as string;
      const lookup = await exec(c, ns, serverPod, [
        'node',
        '-e',
        `require('dns').lookup('${store}-db.${ns}.svc.cluster.local',(e,a)=>{console.log(e?e.code:a);process.exit(e?1:0)})`,
      ]);
      const db = await c.core.readNamespacedService({ name: `${store}-db`, namespace: ns });
      expect(lookup.stdout.trim()).toBe(db.spec?.clusterIP);
      const before = listener.hits();
      const host = new URL(listener.url);
      const out = await exec(c, ns, serverPod, connectFrom(host.hostname, Number(host.port)));
      expect(out.stdout.trim()).not.toBe('open');
      expect(listener.hits()).toBe(before);
    });
  });

  it('is deleted with everything it ran: no container left, its volume freed', async () => {
    const pv = (await c.core.listPersistentVolume()).items.find((v) => v.spec?.claimRef?.namespace === ns);
    const dir = pv?.spec?.hostPath?.path ?? pv?.spec?.local?.path;
    expect(dir && existsSync(dir)).toBe(true);
    const r = await c.kubectl(['delete', 'store', store, '--wait=false']);
    expect(r.code).toBe(0);
    await waitFor(
      `namespace ${ns} gone`,
      async () => (await c.core.listNamespace()).items.map((n) => n.metadata?.name),
      (names) => !names.includes(ns),
      300_000,
    );
    await waitFor(
      `volume ${pv?.metadata?.name} deleted`,
      async () => (await c.core.listPersistentVolume()).items.map((v) => v.metadata?.name),
      (names) => !names.includes(pv?.metadata?.name),
      120_000,
    );
    expect(existsSync(dir as string)).toBe(false);
    // The kubelet removes a deleted pod's containers at its next housekeeping and container GC
    // (every minute), not at once.
    const t0 = Date.now();
    await waitFor(
      `containers of ${ns} removed`,
      () => containersOf(info.nodeDir, ns),
      (left) => !left.length,
      180_000,
    );
    process.stderr.write(
      `[real node] containers gone ${((Date.now() - t0) / 1000).toFixed(0)}s after the namespace\n`,
    );
  });
});

async function tcpOpen(host: string, port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const s = connect(port, host);
    s.setTimeout(2000, () => {
      s.destroy();
      resolve(false);
    });
    s.on('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/** Containers the node's containerd still has for a namespace's pods. */
async function containersOf(nodeDir: string, namespace: string): Promise<string[]> {
  const { execFile } = await import('node:child_process');
  const socket = join(nodeDir, 'containerd', 'containerd.sock');
  return new Promise((resolve, reject) =>
    execFile(
      'ctr',
      [
        '--address',
        socket,
        '--namespace',
        'k8s.io',
        'containers',
        'list',
        '--quiet',
        `labels."io.kubernetes.pod.namespace"==${namespace}`,
      ],
      (err, stdout) => (err ? reject(err) : resolve(stdout.split('\n').filter(Boolean))),
    ),
  );
}
