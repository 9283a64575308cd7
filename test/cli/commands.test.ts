import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { bashCompletion, zshCompletion } from '../../src/cli/client/completion.ts';
import type { CliIo } from '../../src/cli/client/io.ts';
import { buildProgram, runCli } from '../../src/cli/program.ts';

/** The command tree in-process: every command has --help; the completion scripts load in bash. */
function capture(): CliIo & { text: () => string } {
  let text = '';
  return {
    out: (t) => void (text += t),
    err: (t) => void (text += t),
    errIsTty: false,
    stdinIsTty: false,
    env: {},
    text: () => text,
  };
}

function paths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.flatMap((c) => [[...prefix, c.name()], ...paths(c, [...prefix, c.name()])]);
}

const all = paths(buildProgram(capture()));

describe('storeplane --help', () => {
  it('covers the commands the README and the issue name', () => {
    const names = all.map((p) => p.join(' '));
    for (const n of [
      'login',
      'logout',
      'whoami',
      'stores list',
      'stores get',
      'stores create',
      'stores delete',
      'stores retry',
      'stores wait',
      'stores events',
      'stores credentials',
      'stores open',
      'tokens create',
      'tokens list',
      'tokens revoke',
      'users list',
      'users create',
      'audit',
      'mcp',
      'completion',
      'start',
      'api',
      'operator',
      'dev cluster up',
      'dev kind',
    ])
      expect(names).toContain(n);
  });

  it.each(all.map((p) => [p.join(' '), p]))('%s --help exits 0 with its usage', async (_name, path) => {
    const io = capture();
    expect(await runCli([...path, '--help'], io)).toBe(0);
    expect(io.text()).toMatch(new RegExp(`^Usage: storeplane ${path.join(' ')}\\b`));
    expect(io.text()).toContain('-h, --help');
  });

  it('an unknown command or flag exits 2 with words, not a stack trace', async () => {
    for (const argv of [['nope'], ['stores', 'list', '--frobnicate'], ['stores', 'get']]) {
      const io = capture();
      expect(await runCli(argv, io)).toBe(2);
      expect(io.text()).toMatch(/^storeplane: /);
      expect(io.text()).not.toMatch(/\n\s+at /);
    }
  });
});

describe('a client of the API only', () => {
  it('the CLI client, its shared code and the MCP server never import the Kubernetes client', () => {
    const root = join(import.meta.dirname, '..', '..', 'src');
    const files = ['client', 'cli/client', 'mcp'].flatMap((d) =>
      readdirSync(join(root, d), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
        .map((f) => join(root, d, f)),
    );
    expect(files.length).toBeGreaterThan(15);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect({ f, kube: /@kubernetes\/client-node|\/kube\/|\/operator\/|\/devcluster\//.test(text) }).toEqual(
        { f, kube: false },
      );
    }
  });
});

describe('in a pipeline', () => {
  it('stops quietly when the reader leaves early (EPIPE), like other Unix tools', () => {
    const main = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
    const r = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" --import tsx "${main}" operator --help | true; echo "\${PIPESTATUS[0]}"`],
      { encoding: 'utf8', cwd: join(import.meta.dirname, '..', '..') },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('0\n');
  });
});

describe('shell completion', () => {
  const script = bashCompletion(buildProgram(capture()));
  const file = join(mkdtempSync(join(tmpdir(), 'storeplane-completion-')), 'storeplane.bash');
  writeFileSync(file, script);

  /** What bash offers for the words typed so far (the last one is being completed). */
  function complete(...words: string[]): string[] {
    const r = spawnSync(
      'bash',
      [
        '-c',
        `source "$1" || exit 9; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _storeplane; printf '%s\\n' "\${COMPREPLY[@]}"`,
        'bash',
        file,
        'storeplane',
        ...words,
      ],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return r.stdout.split('\n').filter(Boolean);
  }

  it('loads in bash and registers the function', () => {
    const r = spawnSync('bash', ['-c', `source "${file}" && complete -p storeplane`], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('complete -o default -F _storeplane storeplane');
  });

  it.each([
    [
      [''],
      [
        'start',
        'api',
        'operator',
        'dev',
        'login',
        'logout',
        'whoami',
        'stores',
        'tokens',
        'users',
        'audit',
        'mcp',
        'completion',
      ],
    ],
    [['st'], ['start', 'stores']],
    [
      ['stores', ''],
      ['list', 'get', 'create', 'delete', 'retry', 'wait', 'events', 'credentials', 'open'],
    ],
    [['stores', 'create', '--en'], ['--engine']],
    [
      ['stores', 'create', '--engine', ''],
      ['woocommerce', 'medusa'],
    ],
    [['stores', 'create', '--engine', 'medusa', '--pl'], ['--plan']],
    [['stores', 'create', '--plan', 'm'], ['medium']],
    [
      ['stores', 'list', '-o', ''],
      ['table', 'json', 'yaml', 'name'],
    ],
    [
      ['--server', 'http://x', 'stores', 'wait', 'a', '--for', ''],
      ['ready', 'deleted'],
    ],
    [['stores', 'list', '--se'], ['--server']],
    [
      ['dev', 'kind', ''],
      ['up', 'down'],
    ],
    [
      ['dev', 'cluster', ''],
      ['up', 'status', 'down'],
    ],
    [
      ['completion', ''],
      ['bash', 'zsh'],
    ],
  ])('%j offers %j', (typed, offered) => {
    expect(complete(...typed)).toEqual(offered);
  });

  it('the zsh script is the same completion behind bashcompinit, and parses', () => {
    const zsh = zshCompletion(buildProgram(capture()));
    expect(zsh).toMatch(/^#compdef storeplane\n/);
    expect(zsh).toContain('bashcompinit');
    expect(zsh).toContain(script.split('\n').slice(1).join('\n'));
    expect(spawnSync('bash', ['-n'], { input: zsh }).status).toBe(0);
  });
});
