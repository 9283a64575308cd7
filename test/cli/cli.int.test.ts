import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiProcess, type Caller, createMember, signIn } from '../api/harness.ts';
import { hostileDisplayNames, pwnedPath } from '../fixtures/hostile-names.ts';
import { OperatorProcess, type PrivateCluster, privateCluster } from '../operator/harness.ts';
import { CliUser, CommandLineWatch } from './harness.ts';

/**
 * The storeplane CLI as a script uses it, against the real API, the real operator and the real
 * engine charts on the simulated cluster: sign in, create and wait, list, fail, refuse, time out,
 * delete; exit statuses a script can branch on; and no secret on any command line or in output
 * other than the commands that exist to show one.
 */
const root = join(import.meta.dirname, '..', '..');
let c: PrivateCluster;
let operator: OperatorProcess;
let api: ApiProcess;
let admin: Caller;
let cli: CliUser;
const watch = new CommandLineWatch();
const secrets: string[] = [];
/** Output that shows a secret on purpose (credentials, tokens create, users create). */
const revealing = new Set<string>();

beforeAll(async () => {
  c = await privateCluster();
  // The "medium" plan's quota is too small for the engine charts, so a medium store fails; two
  // quick tries and it stalls (waits for a person).
  const tightPlans = join(c.dataDir, 'tight-plans.yaml');
  writeFileSync(tightPlans, 'medium:\n  quota:\n    requests.cpu: 150m\n');
  operator = new OperatorProcess(c, [
    '--plans',
    tightPlans,
    '--retry-budget',
    '2',
    '--retry-window-seconds',
    '0',
  ]);
  await operator.start();
  api = await new ApiProcess({
    kubeconfig: c.kubeconfig,
    config: {
      limits: { storeLimit: 40, provisioningPerUser: 40 },
      rateLimits: { create: { max: 100, windowMs: 60_000 } },
    },
  }).start();
  admin = await signIn(api);
  secrets.push(api.adminPassword);
  cli = await CliUser.create(api.url);
  watch.start(50);
}, 240_000);

afterAll(async () => {
  watch.stop();
  await api?.stop();
  await operator?.stop();
  await c?.stop();
});

const lines = (text: string) => text.split('\n').filter(Boolean);

describe('a script session', () => {
  it('login --password-stdin keeps a token in a 0600 file in a 0700 directory', async () => {
    const r = await cli.run(['login', '--username', 'admin', '--password-stdin'], {
      stdin: `${api.adminPassword}\n`,
    });
    expect(r.stderr).toContain('Signed in to');
    expect(r.code).toBe(0);
    expect(statSync(cli.configFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(cli.configHome, 'storeplane')).mode & 0o777).toBe(0o700);
    secrets.push(cli.token());
    expect(cli.token()).toMatch(/^spt_/);
    const me = await cli.run(['whoami', '-o', 'json']);
    expect(me.code).toBe(0);
    expect(JSON.parse(me.stdout)).toMatchObject({ user: { username: 'admin', role: 'admin' }, via: 'token' });
  });

  it('a wrong password exits 1 in words, and keeps the old login', async () => {
    const before = cli.token();
    const r = await cli.run(['login', '--username', 'admin', '--password-stdin'], {
      stdin: 'not-the-password',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^storeplane: Wrong user name or password/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(cli.token()).toBe(before);
  });

  it.each([
    ['medusa', 'Nina’s Bikes', 'ninas-bikes'],
    ['woocommerce', 'Omar Books', 'omar-books'],
  ])(
    'stores create --wait (%s) prints each stage and exits 0 at Ready',
    async (engine, displayName, name) => {
      const r = await cli.run([
        'stores',
        'create',
        '--engine',
        engine,
        '--display-name',
        displayName,
        '--wait',
        '--timeout',
        '5m',
      ]);
      expect(r.stderr + r.stdout).toContain(`${name} is Ready`);
      expect(r.code).toBe(0);
      const stages = lines(r.stderr)
        .map((l) => /^\s+✓ (\S+)/.exec(l)?.[1])
        .filter(Boolean);
      expect(stages).toEqual(['namespace', 'guardrails', 'credentials', 'release', 'workloads', 'setup']);
      expect(r.stdout).toMatch(new RegExp(`Storefront: http://${name}\\.`));
      // This API says it runs on a real cluster: no note that the links do not answer.
      expect(r.stdout).not.toMatch(/These links answer/);
    },
  );

  it('list -o json parses and holds both; -o yaml and -o name agree; the table has ages', async () => {
    const json = await cli.run(['stores', 'list', '-o', 'json']);
    expect(json.code).toBe(0);
    const stores = (JSON.parse(json.stdout) as { stores: { name: string; phase: string; engine: string }[] })
      .stores;
    expect(stores.map((s) => [s.name, s.engine, s.phase])).toEqual(
      expect.arrayContaining([
        ['ninas-bikes', 'medusa', 'Ready'],
        ['omar-books', 'woocommerce', 'Ready'],
      ]),
    );
    const asYaml = yaml.load((await cli.run(['stores', 'list', '-o', 'yaml'])).stdout) as typeof JSON;
    expect(asYaml).toEqual(JSON.parse(json.stdout));
    expect(lines((await cli.run(['stores', 'list', '-o', 'name'])).stdout)).toEqual(
      stores.map((s) => s.name),
    );
    const table = lines((await cli.run(['stores', 'list'])).stdout);
    expect(table[0]).toMatch(/^NAME\s+DISPLAY NAME\s+ENGINE\s+PLAN\s+PHASE\s+OWNER\s+URL\s+AGE$/);
    expect(table.find((l) => l.startsWith('ninas-bikes'))).toMatch(
      /Nina’s Bikes\s+medusa\s+small\s+Ready\s+admin\s+http:\S+\s+\d+s$/,
    );
  });

  it('bash completes store names from the API', async () => {
    mkdirSync(join(cli.configHome, 'bin'));
    const bin = join(cli.configHome, 'bin', 'storeplane');
    writeFileSync(
      bin,
      `#!/bin/sh\nexec "${process.execPath}" --import tsx "${join(root, 'src/cli/main.ts')}" "$@"\n`,
      { mode: 0o755 },
    );
    const script = join(cli.configHome, 'completion.bash');
    writeFileSync(script, (await cli.run(['completion', 'bash'])).stdout);
    const r = spawnSync(
      'bash',
      [
        '-c',
        // --server on the line reaches the lookup (no STOREPLANE_SERVER here); `rm` is an alias.
        `source "${script}"; COMP_WORDS=("${bin}" --server "${api.url}" stores rm ni); COMP_CWORD=5; _storeplane; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH, XDG_CONFIG_HOME: cli.configHome } },
    );
    expect(r.stdout).toBe('ninas-bikes\n');
  });

  it('get shows the pipeline; events and open answer; credentials reveal the login', async () => {
    const get = await cli.run(['stores', 'get', 'ninas-bikes']);
    expect(get.code).toBe(0);
    expect(get.stdout).toMatch(/Phase:\s+Ready/);
    expect(get.stdout).toMatch(/✓ setup/);
    const events = await cli.run(['stores', 'events', 'ninas-bikes', '-o', 'json']);
    expect(events.code).toBe(0);
    expect(
      (JSON.parse(events.stdout) as { events: { reason: string }[] }).events.map((e) => e.reason),
    ).toContain('Ready');
    const open = await cli.run(['stores', 'open', 'ninas-bikes', '--admin']);
    expect(open.stdout).toMatch(/^http:\/\/ninas-bikes\.\S+\/app\/\n$/);
    const cred = await cli.run(['stores', 'credentials', 'ninas-bikes', '-o', 'json']);
    expect(cred.code).toBe(0);
    const login = JSON.parse(cred.stdout) as { username: string; password: string };
    expect(login.password.length).toBeGreaterThanOrEqual(12);
    secrets.push(login.password);
    revealing.add(cred.stdout);
  });

  it('an unknown store exits 3 for get, wait, events, retry and delete', async () => {
    for (const args of [
      ['stores', 'get', 'no-such-store'],
      ['stores', 'wait', 'no-such-store'],
      ['stores', 'events', 'no-such-store'],
      ['stores', 'retry', 'no-such-store'],
      ['stores', 'delete', 'no-such-store', '--yes'],
    ]) {
      const r = await cli.run(args);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({
        args,
        code: 3,
        // Signed in as the admin, who sees every store: no "(or it is not yours)".
        stderr: 'storeplane: No store named "no-such-store".\n',
      });
    }
  });

  it('a store that fails makes wait exit 1 with the reason and the fix', async () => {
    const create = await cli.run([
      'stores',
      'create',
      '--engine',
      'medusa',
      '--display-name',
      'Too Big',
      '--plan',
      'medium',
    ]);
    expect(create.code).toBe(0);
    const r = await cli.run(['stores', 'wait', 'too-big', '--timeout', '3m']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('too-big failed and waits for a person');
    expect(r.stderr).toMatch(/Reason: \S+/);
    expect(r.stderr).toMatch(/Fix: \S.+/);
    expect(r.stderr).toContain('storeplane stores retry too-big');
    const get = await cli.run(['stores', 'get', 'too-big']);
    expect(get.stdout).toMatch(/Phase:\s+Failed \(stalled\)/);
    expect(get.stdout).toMatch(/Last failure:/);
  });

  it('retry, then wait, follows the new attempt instead of ending on the old stall', async () => {
    const retry = await cli.run(['stores', 'retry', 'too-big', '-o', 'json']);
    expect(retry.code).toBe(0);
    // The API's answer: the retry is asked for, so nobody needs to act until the operator has
    // tried again (it may stall again within a second here: two quick tries on a quota refusal).
    expect(JSON.parse(retry.stdout)).toMatchObject({ name: 'too-big', phase: 'Failed', stalled: false });
    const r = await cli.run(['stores', 'wait', 'too-big', '--timeout', '3m']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('too-big failed and waits for a person');
    const after = JSON.parse((await cli.run(['stores', 'get', 'too-big', '-o', 'json'])).stdout) as {
      stalled: boolean;
      activity: { reason: string }[];
    };
    expect(after.stalled).toBe(true);
    expect(after.activity.map((a) => a.reason)).toContain('RetryRequested');
  });

  it('--timeout 1s exits 5, and says the store goes on', async () => {
    const r = await cli.run([
      'stores',
      'create',
      '--engine',
      'woocommerce',
      '--display-name',
      'Quick Look',
      '--wait',
      '--timeout',
      '1s',
    ]);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/timed out after 1s waiting for quick-look to be Ready/);
    expect(r.stderr).toContain('storeplane stores wait quick-look');
  });

  it('a limit refusal exits 4 and names the limit', async () => {
    const rita = await createMember(admin, 'rita', { storeLimit: 1 });
    secrets.push(rita.password);
    const ritaCli = await CliUser.create(api.url);
    expect(
      (await ritaCli.run(['login', '--username', 'rita', '--password-stdin'], { stdin: rita.password })).code,
    ).toBe(0);
    secrets.push(ritaCli.token());
    expect(
      (await ritaCli.run(['stores', 'create', '--engine', 'medusa', '--display-name', 'Rita One'])).code,
    ).toBe(0);
    const second = await ritaCli.run([
      'stores',
      'create',
      '--engine',
      'medusa',
      '--display-name',
      'Rita Two',
    ]);
    expect(second.code).toBe(4);
    expect(second.stderr).toContain('You have 1 of your 1 stores');
    // Members see only their own stores.
    const list = JSON.parse((await ritaCli.run(['stores', 'list', '-o', 'json'])).stdout) as {
      stores: { name: string }[];
    };
    expect(list.stores.map((s) => s.name)).toEqual(['rita-one']);
    expect((await ritaCli.run(['stores', 'get', 'ninas-bikes'])).code).toBe(3);
    // An admin command refused to a member is a failure (1), in words.
    const users = await ritaCli.run(['users', 'list']);
    expect(users.code).toBe(1);
    expect(users.stderr).toMatch(/^storeplane: /);
  });

  it('delete without --yes and without a terminal refuses (2) and deletes nothing', async () => {
    const r = await cli.run(['stores', 'delete', 'omar-books']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('add --yes');
    expect((await cli.run(['stores', 'get', 'omar-books', '-o', 'name'])).stdout).toBe('omar-books\n');
  });

  it('delete --wait --yes exits 0 when the store is gone', async () => {
    const r = await cli.run(['stores', 'delete', 'omar-books', '--wait', '--yes', '--timeout', '3m']);
    expect(r.stderr).toContain('omar-books is deleted.');
    expect(r.code).toBe(0);
    expect((await cli.run(['stores', 'get', 'omar-books'])).code).toBe(3);
  });

  it('usage errors exit 2 in words: a bad engine, a missing flag, a bad timeout, an unknown command', async () => {
    for (const [args, words] of [
      [
        ['stores', 'create', '--engine', 'shopify', '--display-name', 'X'],
        /Allowed choices are woocommerce, medusa/,
      ],
      [['stores', 'create', '--engine', 'medusa'], /required option '--display-name <text>' not specified/],
      [['stores', 'wait', 'ninas-bikes', '--timeout', 'soon'], /--timeout takes a duration/],
      [['stores', 'list', '-o', 'xml'], /Allowed choices are table, json, yaml, name/],
      [['stores', 'frobnicate'], /unknown command 'frobnicate'/],
      [['stores', 'create', '--engine', 'medusa', '--display-name', 'X', '--name', 'Bad_Name'], /name/i],
      [
        ['stores', 'create', '--engine', 'medusa', '--display-name', 'X Shop', '--name', ''],
        /Store name must be 3 to 30 characters long \(got 0\)/,
      ],
    ] as const) {
      const r = await cli.run([...args]);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(words);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('hostile display names reach the API as data: stored exactly, or refused in words (2)', async () => {
    const kept = new Map<string, string>();
    for (const [i, displayName] of hostileDisplayNames.entries()) {
      const name = `hostile-${i}`;
      const r = await cli.run([
        'stores',
        'create',
        '--engine',
        'medusa',
        '--display-name',
        displayName,
        '--name',
        name,
        '-o',
        'json',
      ]);
      if (r.code === 0) {
        expect((JSON.parse(r.stdout) as { displayName: string }).displayName).toBe(displayName);
        kept.set(name, displayName);
      } else {
        // The Store schema refuses control characters and spaces at either end, and says so.
        expect({ displayName, code: r.code }).toEqual({ displayName, code: 2 });
        expect(r.stderr).toMatch(
          /^storeplane: The field "displayName" must not (hold control characters|start or end with a space)/,
        );
      }
    }
    expect(kept.size).toBeGreaterThanOrEqual(hostileDisplayNames.length - 3);
    const listed = JSON.parse((await cli.run(['stores', 'list', '-o', 'json'])).stdout) as {
      stores: { name: string; displayName: string }[];
    };
    for (const [name, displayName] of kept)
      expect(listed.stores.find((s) => s.name === name)?.displayName).toBe(displayName);
    // The table shows them on one line each, escaped where they hold control characters.
    const table = (await cli.run(['stores', 'list'])).stdout;
    expect(table.split('\n').filter((l) => l.startsWith('hostile-'))).toHaveLength(kept.size);
    for (const name of kept.keys()) expect((await cli.run(['stores', 'delete', name, '--yes'])).code).toBe(0);
    expect(existsSync(pwnedPath)).toBe(false);
  });

  it('tokens create shows a working token once; revoke and logout end tokens', async () => {
    const made = await cli.run(
      ['tokens', 'create', '--name', 'ci job', '--scope', 'stores:read', '--password-stdin', '-o', 'json'],
      {
        stdin: api.adminPassword,
      },
    );
    expect(made.code).toBe(0);
    const token = JSON.parse(made.stdout) as { id: string; token: string; scopes: string[] };
    secrets.push(token.token);
    revealing.add(made.stdout);
    expect(token.scopes).toEqual(['stores:read']);
    const viaEnv = await cli.run(['stores', 'list', '-o', 'name'], {
      env: { STOREPLANE_TOKEN: token.token },
    });
    expect(viaEnv.code).toBe(0);
    // Read-only: a create is refused for the scope.
    const write = await cli.run(['stores', 'create', '--engine', 'medusa', '--display-name', 'Nope'], {
      env: { STOREPLANE_TOKEN: token.token },
    });
    expect(write.code).toBe(1);
    expect(write.stderr).toContain('stores:write');
    const listed = await cli.run(['tokens', 'list', '-o', 'json']);
    expect((JSON.parse(listed.stdout) as { tokens: { id: string }[] }).tokens.map((t) => t.id)).toContain(
      token.id,
    );
    expect((await cli.run(['tokens', 'revoke', token.id])).code).toBe(0);
    expect((await cli.run(['whoami'], { env: { STOREPLANE_TOKEN: token.token } })).code).toBe(1);

    const own = cli.token();
    const out = await cli.run(['logout']);
    expect(out.code).toBe(0);
    const after = await cli.run(['whoami']);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('storeplane login');
    const revoked = await cli.run(['whoami'], { env: { STOREPLANE_TOKEN: own } });
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toMatch(/Sign in/);
  });

  it('admins: users and audit, in every format', async () => {
    expect(
      (await cli.run(['login', '--username', 'admin', '--password-stdin'], { stdin: api.adminPassword }))
        .code,
    ).toBe(0);
    secrets.push(cli.token());
    const users = JSON.parse((await cli.run(['users', 'list', '-o', 'json'])).stdout) as {
      users: { username: string }[];
    };
    expect(users.users.map((u) => u.username)).toEqual(expect.arrayContaining(['admin', 'rita']));
    const limited = await cli.run(['users', 'set-limit', 'rita', '2', '-o', 'json']);
    expect(JSON.parse(limited.stdout)).toMatchObject({ username: 'rita', storeLimit: 2 });
    expect((await cli.run(['users', 'disable', 'rita'])).stdout).toContain('rita: member, disabled');
    const audit = JSON.parse(
      (await cli.run(['audit', '--action', 'store.create', '--limit', '500', '-o', 'json'])).stdout,
    ) as {
      entries: { actor: string; target: string; outcome: string }[];
    };
    expect(audit.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: 'admin', target: 'store:ninas-bikes', outcome: 'success' }),
        expect.objectContaining({ actor: 'rita', target: 'store:rita-two', outcome: 'refused' }),
      ]),
    );
  });

  it('the README’s CLI session runs as written', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const block = /```bash\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('## The CLI')))?.[1];
    if (!block) throw new Error('README: no bash block under "The CLI"');
    const passwordFile = join(cli.configHome, 'admin-password');
    writeFileSync(passwordFile, api.adminPassword, { mode: 0o600 });
    const home = await mkdtemp(join(tmpdir(), 'storeplane-readme-cli-'));
    const script = block
      .replace(
        /^alias storeplane=.*$/m,
        `storeplane() { "${process.execPath}" --import tsx "${join(root, 'src/cli/main.ts')}" "$@"; }`,
      )
      .replaceAll('http://127.0.0.1:8080', api.url)
      .replaceAll('~/.local/state/storeplane/platform/initial-admin-password', passwordFile);
    const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: root,
      encoding: 'utf8',
      // Not a socket on stdin: bash would take itself for an ssh session and read bashrc.
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
      env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: home },
    });
    expect(r.stdout).toContain('bike-parts is Ready');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^bike-parts Ready$/m);
    expect(r.stdout).toMatch(/^corner-books Ready$/m);
    expect(r.stdout).toMatch(/Password:\s+\S{12,}/);
    expect(r.stdout).toMatch(/^http:\/\/bike-parts\.\S+\/$/m);
    expect(r.stderr).toContain('corner-books is deleted.');
    expect(r.stderr).toMatch(/Signed out of/);
  });

  it('no secret was on any command line, nor in any output but the ones that reveal it', () => {
    watch.sample();
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    expect(CliUser.runs.length).toBeGreaterThan(40);
    for (const s of secrets) {
      for (const line of watch.seen)
        expect(line.includes(s), `a command line held a secret: ${line.slice(0, 200)}`).toBe(false);
      for (const r of CliUser.runs) {
        expect(r.args.join(' ').includes(s)).toBe(false);
        expect(r.stderr.includes(s), `stderr of ${r.args.join(' ')}`).toBe(false);
        if (!revealing.has(r.stdout))
          expect(r.stdout.includes(s), `stdout of ${r.args.join(' ')}`).toBe(false);
      }
    }
    // The sampler saw the CLI's own processes, so it would have seen a secret among their arguments.
    expect([...watch.seen].some((l) => l.includes('src/cli/main.ts stores'))).toBe(true);
  });
});
