import { execFile } from 'node:child_process';
import { basename } from 'node:path';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './charts.ts';

/**
 * charts/woocommerce-store/files/setup.sh with a stand-in `wp` that keeps WordPress's state in
 * files: proves the order of the WP-CLI sequence, that every WooCommerce command runs as the
 * admin, and that a second run (every helm upgrade) changes nothing. That WP-CLI and WooCommerce
 * accept these commands is only proven on a real cluster.
 */
const filesDir = join(repoRoot, 'charts', 'woocommerce-store', 'files');
const setup = join(filesDir, 'setup.sh');

// A stand-in for WP-CLI: state in $WP_STATE, every call appended to $WP_STATE/calls.
const fakeWp = String.raw`#!/usr/bin/env bash
set -euo pipefail
s=$WP_STATE
echo "$*" >>"$s/calls"
user_ok() { for a in "$@"; do [ "$a" = "--user=$ADMIN_USER" ] && return 0; done; echo "not as admin: $*" >&2; exit 9; }
case "$1 $2" in
  "core is-installed") [ -e "$s/installed" ] ;;
  "core install")
    # A secret on argv is visible to every process (ps): the password must come on stdin.
    case "$*" in *--admin_password*) echo "admin password on the command line" >&2; exit 7 ;; esac
    case "$*" in *--prompt=admin_password*) IFS= read -r pw; printf '%s' "$pw" >"$s/install-password" ;; esac
    touch "$s/installed" ;;
  "option update") mkdir -p "$s/options"; printf '%s' "$4" >"$s/options/$3" ;;
  "rewrite structure" | "rewrite flush") ;;
  "plugin is-active") [ -e "$s/active-$3" ] ;;
  "plugin activate") touch "$s/active-$3" ;;
  "wc tool") user_ok "$@" ;;
  "wc payment_gateway") user_ok "$@"; touch "$s/gateway-$4" ;;
  "wc shipping_zone_method")
    user_ok "$@"
    if [ "$3" = list ]; then cat "$s/methods" 2>/dev/null || true; else echo 1 >>"$s/methods"; fi ;;
  "wc product")
    user_ok "$@"
    if [ "$3" = list ]; then
      sku=$(printf '%s\n' "$@" | sed -n 's/^--sku=//p'); cat "$s/sku-$sku" 2>/dev/null || true
    else
      sku=$(printf '%s\n' "$@" | sed -n 's/^--sku=//p'); n=$(( $(cat "$s/next" 2>/dev/null || echo 100) + 1 ))
      echo "$n" >"$s/next"; echo "$n" >"$s/sku-$sku"; echo "$n"
    fi ;;
  "post meta") [ "$3" = get ] && [ "$5" = _thumbnail_id ] && cat "$s/thumb-$4" 2>/dev/null ;;
  "media import")
    user_ok "$@"; [ -s "$3" ] || { echo "no such file $3" >&2; exit 1; }
    id=$(printf '%s\n' "$@" | sed -n 's/^--post_id=//p'); echo 500 >"$s/thumb-$id" ;;
  *) echo "unexpected wp $*" >&2; exit 8 ;;
esac
`;

// Each run of the script starts WP-CLI's stand-in a few dozen times: allow more than the default.
describe('charts/woocommerce-store/files/setup.sh', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'storeplane-woo-setup-'));
  const bin = join(dir, 'bin');
  const state = join(dir, 'state');
  const seed = join(dir, 'seed');
  let web: Server;
  let webRequests = 0;
  let webUrl = '';

  beforeAll(async () => {
    for (const d of [bin, state, seed]) mkdirSync(d, { recursive: true });
    writeFileSync(join(bin, 'wp'), fakeWp);
    chmodSync(join(bin, 'wp'), 0o755);
    // The seed directory as the ConfigMap mounts it: products.json and the images.
    for (const f of [join(filesDir, 'products.json'), ...imageFiles()])
      copyFileSync(f, join(seed, basename(f)));
    // The web tier: down (503) at first, then WordPress's redirect to the installer.
    web = createServer((req, res) => {
      webRequests += 1;
      if (req.url !== '/wp-login.php') return void res.writeHead(404).end();
      res.writeHead(webRequests < 2 ? 503 : 302, {
        Location: 'http://shop.example.test/wp-admin/install.php',
      });
      res.end();
    });
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => web.close(() => r())));

  function imageFiles(): string[] {
    const products = JSON.parse(readFileSync(join(filesDir, 'products.json'), 'utf8')) as { image: string }[];
    return products.map((p) => join(filesDir, 'images', p.image));
  }

  const run = () =>
    new Promise<{ code: number; out: string }>((resolve) =>
      execFile(
        'bash',
        [setup],
        {
          env: {
            PATH: `${bin}:${process.env.PATH ?? ''}`,
            WP_STATE: state,
            ADMIN_USER: 'storeadmin',
            ADMIN_PASSWORD: 's3cret-pw',
            ADMIN_EMAIL: 'alice@example.com',
            STORE_URL: 'http://shop.example.test',
            STORE_TITLE: "Alice's Store",
            WEB_URL: webUrl,
            SEED_DIR: seed,
            WAIT_INTERVAL: '0.2',
          },
        },
        (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
      ),
    );
  const calls = () => readFileSync(join(state, 'calls'), 'utf8').trim().split('\n');
  const option = (name: string) => readFileSync(join(state, 'options', name), 'utf8');

  it('first run: waits for the web tier, installs, launches the store with COD, shipping and products', async () => {
    const r = await run();
    expect(r.out).not.toContain('unexpected wp');
    expect(r.code).toBe(0);
    expect(webRequests).toBeGreaterThanOrEqual(2);
    expect(r.out).toContain('done: http://shop.example.test');
    const log = calls();
    const first = (prefix: string) => log.findIndex((l) => l.startsWith(prefix));
    expect(first('core install')).toBeGreaterThan(first('core is-installed'));
    expect(first('plugin activate woocommerce')).toBeGreaterThan(first('core install'));
    expect(first('wc payment_gateway update cod --enabled=true')).toBeGreaterThan(first('plugin activate'));
    expect(log.filter((l) => l.startsWith('wc product create'))).toHaveLength(3);
    expect(log.filter((l) => l.startsWith('media import'))).toHaveLength(3);
    expect(
      log.filter((l) => l.startsWith('wc shipping_zone_method create 0 --method_id=flat_rate')),
    ).toHaveLength(1);
    expect(log.find((l) => l.startsWith('core install'))).toContain("--title=Alice's Store");
    // The admin password reached WP-CLI on stdin, and no command line carried it.
    expect(readFileSync(join(state, 'install-password'), 'utf8')).toBe('s3cret-pw');
    expect(log.filter((l) => l.includes('s3cret-pw'))).toEqual([]);
    expect(option('woocommerce_coming_soon')).toBe('no');
    expect(option('woocommerce_store_pages_only')).toBe('no');
    expect(option('woocommerce_currency')).toBe('USD');
    expect(option('woocommerce_enable_guest_checkout')).toBe('yes');
    expect(log.at(-1)).toBe('rewrite flush');
  });

  it('second run (every helm upgrade): changes nothing that exists', async () => {
    writeFileSync(join(state, 'calls'), '');
    const r = await run();
    expect(r.code).toBe(0);
    const log = calls();
    for (const creating of [
      'core install',
      'plugin activate',
      'wc product create',
      'media import',
      'wc shipping_zone_method create',
    ]) {
      expect(
        log.filter((l) => l.startsWith(creating)),
        creating,
      ).toEqual([]);
    }
    expect(log).toContain('wc payment_gateway update cod --enabled=true --user=storeadmin');
  });
});
