import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardPaths, dashboardStale, stampDashboard } from './dashboard.ts';

function checkout() {
  const root = mkdtempSync(join(tmpdir(), 'dash-stale-'));
  const p = dashboardPaths(root);
  mkdirSync(join(p.web, 'src'), { recursive: true });
  writeFileSync(join(p.web, 'src', 'main.tsx'), 'export {};\n');
  writeFileSync(join(p.web, 'index.html'), '<!doctype html>\n');
  writeFileSync(p.lockfile, '{"lockfileVersion": 3}\n');
  return p;
}
function build(p: ReturnType<typeof dashboardPaths>) {
  mkdirSync(join(p.dist, 'assets'), { recursive: true });
  writeFileSync(join(p.dist, 'index.html'), '<!doctype html><title>built</title>');
  stampDashboard(p);
}

describe('whether start must build the dashboard', () => {
  it('no build: stale', () => expect(dashboardStale(checkout())).toBe(true));

  it('a build without its stamp (an older or a hand-made build): stale', () => {
    const p = checkout();
    mkdirSync(p.dist, { recursive: true });
    writeFileSync(join(p.dist, 'index.html'), 'x');
    expect(dashboardStale(p)).toBe(true);
  });

  it('built from the sources as they are: fresh; the build’s own files do not count', () => {
    const p = checkout();
    build(p);
    expect(dashboardStale(p)).toBe(false);
    writeFileSync(join(p.dist, 'assets', 'index-abc.js'), 'changed');
    expect(dashboardStale(p)).toBe(false);
  });

  it.each([
    [
      'a source changes',
      (p: ReturnType<typeof dashboardPaths>) => writeFileSync(join(p.web, 'src', 'main.tsx'), 'x'),
    ],
    [
      'a source is added',
      (p: ReturnType<typeof dashboardPaths>) => writeFileSync(join(p.web, 'src', 'new.ts'), ''),
    ],
    [
      'a file is renamed',
      (p: ReturnType<typeof dashboardPaths>) =>
        renameSync(join(p.web, 'src', 'main.tsx'), join(p.web, 'src', 'app.tsx')),
    ],
    [
      'the lockfile changes (a dependency moved)',
      (p: ReturnType<typeof dashboardPaths>) => writeFileSync(p.lockfile, '{}'),
    ],
  ])('stale when %s', (_, change) => {
    const p = checkout();
    build(p);
    change(p);
    expect(dashboardStale(p)).toBe(true);
  });
});
