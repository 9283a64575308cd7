/**
 * `npm run size:web`: the dashboard's size as a browser downloads it, gzipped. "First load" is
 * what index.html pulls in before anything renders (its entry script, the scripts it preloads,
 * its stylesheets); "all" adds the chunks loaded later (admin and account pages). Builds first
 * when the build is missing or stale. Prints a table and writes test-results/dashboard-size.json.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureDashboard } from '../src/cli/dashboard.ts';

const dist = ensureDashboard((line) => process.stderr.write(`${line}\n`));
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const firstLoad = new Set(
  [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!),
);
const gz = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const rows = readdirSync(join(dist, 'assets'))
  .filter((f) => /\.(js|css)$/.test(f))
  .map((f) => {
    const file = `assets/${f}`;
    return {
      file,
      bytes: readFileSync(join(dist, file)).length,
      gzip: gz(file),
      firstLoad: firstLoad.has(file),
    };
  })
  .sort((a, b) => b.gzip - a.gzip);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const sum = (pick: (r: (typeof rows)[number]) => boolean, kind?: string) =>
  rows.filter((r) => pick(r) && (!kind || r.file.endsWith(kind))).reduce((t, r) => t + r.gzip, 0);

for (const r of rows)
  process.stdout.write(
    `${r.firstLoad ? '*' : ' '} ${r.file.padEnd(44)} ${kb(r.bytes).padStart(10)} ${kb(r.gzip).padStart(10)} gz\n`,
  );
const summary = {
  firstLoadJsGzipBytes: sum((r) => r.firstLoad, '.js'),
  firstLoadCssGzipBytes: sum((r) => r.firstLoad, '.css'),
  firstLoadGzipBytes: sum((r) => r.firstLoad),
  allGzipBytes: sum(() => true),
  goalFirstLoadJsGzipBytes: 250 * 1024,
};
process.stdout.write(
  `first load (*): JavaScript ${kb(summary.firstLoadJsGzipBytes)} gzipped (goal ≤ 250 KB), CSS ${kb(summary.firstLoadCssGzipBytes)}; everything: ${kb(summary.allGzipBytes)}\n`,
);
mkdirSync('test-results', { recursive: true });
writeFileSync(
  'test-results/dashboard-size.json',
  `${JSON.stringify({ ...summary, files: rows }, null, 2)}\n`,
);
