import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPinned, parseQuantity, podTotals, repoRoot } from './charts.ts';

describe('chart test helpers', () => {
  it('parses Kubernetes quantities', () => {
    expect(parseQuantity('250m')).toBe(0.25);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity(1)).toBe(1);
    expect(parseQuantity('1536Mi')).toBe(1536 * 2 ** 20);
    expect(parseQuantity('1.5Gi')).toBe(1.5 * 2 ** 30);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(() => parseQuantity('-1Gi')).toThrow('not a quantity');
    expect(() => parseQuantity('lots')).toThrow('not a quantity');
  });

  it('counts a pod against a quota as the larger of its containers and its biggest init container', () => {
    const r = (cpu: string, memory: string) => ({ requests: { cpu, memory }, limits: { cpu, memory } });
    const totals = podTotals({
      initContainers: [
        { name: 'wait', image: 'x:1', resources: r('10m', '32Mi') },
        { name: 'migrate', image: 'x:1', resources: r('1', '64Mi') },
      ],
      containers: [
        { name: 'a', image: 'x:1', resources: r('250m', '256Mi') },
        { name: 'b', image: 'x:1', resources: r('250m', '256Mi') },
      ],
    });
    expect(totals['requests.cpu']).toBe(1);
    expect(totals['limits.memory']).toBe(512 * 2 ** 20);
    expect(() => podTotals({ containers: [{ name: 'bare', image: 'x:1' }] })).toThrow(
      'bare has no requests.cpu',
    );
  });

  it('tells pinned image references from floating ones', () => {
    expect(isPinned('docker.io/library/mariadb:11.8.8')).toBe(true);
    expect(isPinned(`ghcr.io/a/b@sha256:${'a'.repeat(64)}`)).toBe(true);
    expect(isPinned('localhost:5000/store')).toBe(false);
    expect(isPinned('mariadb')).toBe(false);
    expect(isPinned('mariadb:latest')).toBe(false);
  });
});

describe('charts/medusa-store/files/wait-for.mjs', () => {
  const script = join(repoRoot, 'charts', 'medusa-store', 'files', 'wait-for.mjs');
  const run = (args: string[]) =>
    new Promise<{ code: number; out: string }>((resolve) =>
      execFile(process.execPath, [script, ...args], (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
      ),
    );

  it('returns once every target answers (TCP connect, HTTP 2xx)', async () => {
    let calls = 0;
    const server = createServer((_req, res) => {
      calls += 1;
      res.writeHead(calls < 2 ? 503 : 200).end('OK');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const r = await run(['--timeout', '30', `tcp://127.0.0.1:${port}`, `http://127.0.0.1:${port}/health`]);
      expect(r.out).toContain('waiting for http://127.0.0.1');
      expect(r.out).toContain('HTTP 503');
      expect(r.code).toBe(0);
      expect(calls).toBe(2);
    } finally {
      server.close();
    }
  });

  it('gives up with exit 1 after the timeout, naming the target', async () => {
    const r = await run(['--timeout', '1', 'tcp://127.0.0.1:1']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('gave up waiting for tcp://127.0.0.1:1');
  });

  it('rejects a call without targets', async () => {
    expect((await run([])).code).toBe(2);
  });
});
