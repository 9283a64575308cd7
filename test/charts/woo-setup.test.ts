import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './charts.ts';
import { hostileDisplayNames } from './hostile-names.ts';

/**
 * charts/woocommerce-store/files/setup.sh with a stand-in `wp` (fake-wp.sh) that keeps WordPress's
 * state in files and parses its arguments as WP-CLI does: proves the order of the WP-CLI sequence,
 * that every WooCommerce command runs as the admin, that a second run (every helm upgrade) changes
 * nothing, and that the store's display name reaches WP-CLI as data, never as an argument. That
 * WP-CLI and WooCommerce accept these commands is only proven on a real cluster.
 */
const filesDir = join(repoRoot, 'charts', 'woocommerce-store', 'files');
const setup = join(filesDir, 'setup.sh');
const fakeWp = join(import.meta.dirname, 'fake-wp.sh');

const dir = mkdtempSync(join(tmpdir(), 'storeplane-woo-setup-'));
const bin = join(dir, 'bin');
const seed = join(dir, 'seed');
let states = 0;
/** A fresh WordPress: an empty state directory. */
function newState(): string {
  const state = join(dir, `state-${++states}`);
  mkdirSync(state);
  return state;
}

const baseEnv = {
  ADMIN_USER: 'storeadmin',
  ADMIN_PASSWORD: 's3cret-pw',
  ADMIN_EMAIL: 'alice@example.com',
  STORE_URL: 'http://shop.example.test',
  STORE_TITLE: "Alice's Store",
  SEED_DIR: seed,
  WAIT_INTERVAL: '0.2',
};

const calls = (state: string) => readFileSync(join(state, 'calls'), 'utf8').trim().split('\n');
/** Every argument of every call, exactly. */
const argvs = (state: string) =>
  readFileSync(join(state, 'argv'), 'utf8')
    .split('\x1e')
    .filter(Boolean)
    .map((call) => call.split('\x1f').slice(0, -1));
/** Whether a command-line argument carries a display name (short names like -- only as a whole). */
const carries = (arg: string, name: string) =>
  arg === name || arg.endsWith(`=${name}`) || (name.length > 2 && arg.includes(name));
const option = (state: string, name: string) => readFileSync(join(state, 'options', name), 'utf8');

// Each run of the script starts WP-CLI's stand-in a few dozen times: allow more than the default.
describe('charts/woocommerce-store/files/setup.sh', { timeout: 60_000 }, () => {
  let web: Server;
  let webRequests = 0;
  let webUrl = '';

  beforeAll(async () => {
    for (const d of [bin, seed]) mkdirSync(d, { recursive: true });
    copyFileSync(fakeWp, join(bin, 'wp'));
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

  // stdin is /dev/null, as in a Job's container: a command that reads it must not wait for ever.
  const run = (state: string, env: Record<string, string> = {}) =>
    new Promise<{ code: number; out: string }>((resolve) => {
      const child = spawn('bash', [setup], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: `${bin}:${process.env.PATH ?? ''}`,
          WP_STATE: state,
          WEB_URL: webUrl,
          ...baseEnv,
          ...env,
        },
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', (code) => resolve({ code: code ?? 1, out }));
    });

  const state = newState();

  it('first run: waits for the web tier, installs, launches the store with COD, shipping and products', async () => {
    const r = await run(state);
    expect(r.out).not.toContain('unexpected wp');
    expect(r.code, r.out).toBe(0);
    expect(webRequests).toBeGreaterThanOrEqual(2);
    expect(r.out).toContain('done: http://shop.example.test');
    // Not in the Job's log either (WP-CLI echoes a prompted command, values included).
    expect(r.out).not.toContain('s3cret-pw');
    const log = calls(state);
    const first = (prefix: string) => log.findIndex((l) => l.startsWith(prefix));
    expect(first('core install')).toBeGreaterThan(first('core is-installed'));
    expect(first('plugin activate woocommerce')).toBeGreaterThan(first('core install'));
    expect(first('wc payment_gateway update cod --enabled=true')).toBeGreaterThan(first('plugin activate'));
    expect(log.filter((l) => l.startsWith('wc product create'))).toHaveLength(3);
    expect(log.filter((l) => l.startsWith('media import'))).toHaveLength(3);
    expect(
      log.filter((l) => l.startsWith('wc shipping_zone_method create 0 --method_id=flat_rate')),
    ).toHaveLength(1);
    // The admin's name, password and e-mail reached WP-CLI on stdin; no command line carried them.
    const installed = (k: string) => readFileSync(join(state, `install-${k}`), 'utf8');
    expect(installed('admin_user')).toBe('storeadmin');
    expect(installed('admin_password')).toBe('s3cret-pw');
    expect(installed('admin_email')).toBe('alice@example.com');
    for (const secretOrUserInput of ['s3cret-pw', 'alice@example.com', "Alice's Store"])
      expect(log.filter((l) => l.includes(secretOrUserInput))).toEqual([]);
    expect(option(state, 'blogname')).toBe("Alice's Store");
    expect(option(state, 'woocommerce_coming_soon')).toBe('no');
    expect(option(state, 'woocommerce_store_pages_only')).toBe('no');
    expect(option(state, 'woocommerce_currency')).toBe('USD');
    expect(option(state, 'woocommerce_enable_guest_checkout')).toBe('yes');
    expect(option(state, 'woocommerce_onboarding_profile')).toBe('{"skipped":true}');
    expect(log.at(-1)).toBe('rewrite flush');
  });

  it('second run (every helm upgrade): changes nothing that exists, follows a new display name', async () => {
    const before = calls(state).length;
    const r = await run(state, { STORE_TITLE: 'Alice & Co' });
    expect(r.code, r.out).toBe(0);
    const log = calls(state).slice(before);
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
    expect(option(state, 'blogname')).toBe('Alice & Co');
  });

  describe.each(hostileDisplayNames(dir))('display name %j', (name) => {
    const hostile = newState();

    it.each([1, 2])(
      'run %i succeeds and stores it as blogname byte for byte, with no side effect',
      async () => {
        const r = await run(hostile, { STORE_TITLE: name, SAMPLE_PRODUCTS: 'no' });
        expect(r.code, r.out).toBe(0);
        expect(readFileSync(join(hostile, 'options', 'blogname'))).toEqual(Buffer.from(name, 'utf8'));
        for (const argv of argvs(hostile)) expect(argv.filter((arg) => carries(arg, name))).toEqual([]);
        expect(existsSync(join(dir, 'pwned'))).toBe(false);
      },
    );
  });

  it.each(['ADMIN_USER', 'ADMIN_EMAIL', 'ADMIN_PASSWORD'])(
    'refuses a %s of more than one line (it goes to WP-CLI as one line of stdin)',
    async (name) => {
      const fresh = newState();
      const r = await run(fresh, { [name]: `${baseEnv[name as keyof typeof baseEnv]}\nmallory` });
      expect(r.code).not.toBe(0);
      expect(r.out).toContain(`${name} must be a single line`);
      expect(existsSync(join(fresh, 'installed'))).toBe(false);
    },
  );
});

describe('the WP-CLI stand-in (fake-wp.sh) parses arguments as WP-CLI does', () => {
  const wp = (args: string[], input = '') => {
    const state = newState();
    const r = spawnSync('bash', [fakeWp, ...args], {
      input,
      env: { PATH: process.env.PATH, WP_STATE: state, ADMIN_USER: 'storeadmin' },
    });
    return { code: r.status, out: r.stdout.toString(), err: r.stderr.toString(), state };
  };
  const install = ['core', 'install', '--url=u', '--title=t', '--admin_user=a', '--admin_email=e'];

  it.each([
    [['option', 'update', 'blogname', '--exec=system("id");'], '--exec runs PHP'],
    [[...install, '--require=/tmp/evil.php'], '--require runs PHP'],
    [['option', 'update', 'blogname', '--Summer Sale--'], 'unknown --Summer Sale-- parameter'],
    [['option', 'update', 'blogname', '-x'], 'unknown --x parameter'],
    [['option', 'update', 'blogname', '--no-such'], 'unknown --such parameter'],
    [[...install, '--weblog_title=t'], 'unknown --weblog_title parameter'],
    [['option', 'update', 'a', 'b', 'c'], 'Too many positional arguments: c'],
    [['core', 'install', '--url=u', '--title=t', '--admin_user=a'], 'missing --admin_email parameter'],
  ])('%j fails: %s', (args, message) => {
    const r = wp(args);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(message);
  });

  it('accepts the global parameters, --no-color included', () => {
    expect(wp(['core', 'is-installed', '--path=/var/www/html', '--no-color', '--quiet', '--debug']).err).toBe(
      '',
    );
  });

  it('reads an omitted option value from stdin, to the end, byte for byte', () => {
    const value = '--exec=x\n\ttwo lines \u{1F6D2}\n';
    const r = wp(['option', 'update', 'blogname'], value);
    expect(r.code).toBe(0);
    expect(readFileSync(join(r.state, 'options', 'blogname'), 'utf8')).toBe(value);
  });

  it('after --, every argument is positional', () => {
    const r = wp(['option', 'update', '--', 'blogname', '--exec=x']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(r.state, 'options', 'blogname'), 'utf8')).toBe('--exec=x');
  });

  it('--prompt=<list> reads the listed parameters from stdin, one a line, in synopsis order', () => {
    const r = wp(
      ['core', 'install', '--url=u', '--title=t', '--prompt=admin_email,admin_user,admin_password'],
      'bob\npw\nbob@example.com\n',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("wp core install --url='u' --title='t' --prompt=");
    expect(r.out).toContain("--admin_password='pw'");
    const got = (k: string) => readFileSync(join(r.state, `install-${k}`), 'utf8');
    expect([got('admin_user'), got('admin_password'), got('admin_email')]).toEqual([
      'bob',
      'pw',
      'bob@example.com',
    ]);
  });
});
