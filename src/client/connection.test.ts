import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configPath, readConfig, writeConfig } from './config.ts';
import { defaultServer, normalizeServer, resolveConnection } from './connection.ts';
import { ApiFailure } from './failure.ts';

describe('normalizeServer', () => {
  it.each([
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
    ['https://shops.example.com/api/v1/', 'https://shops.example.com'],
    ['https://example.com/storeplane//', 'https://example.com/storeplane'],
    [' HTTP://Example.COM ', 'http://example.com'],
  ])('%s -> %s', (raw, url) => {
    expect(normalizeServer(raw)).toBe(url);
  });
  it.each([
    'example.com',
    'ftp://example.com',
    'file:///etc/passwd',
    'http://user:pw@example.com',
    '--help',
    '',
  ])('refuses %j', (raw) => {
    expect(() => normalizeServer(raw)).toThrow(ApiFailure);
  });
});

describe('resolveConnection', () => {
  const home = mkdtempSync(join(tmpdir(), 'storeplane-conn-'));
  const env = (more: Record<string, string> = {}) => ({ XDG_CONFIG_HOME: home, ...more });
  writeConfig(configPath(env()), { server: 'http://saved:8080', token: 'spt_saved' });

  it('uses the saved server and token', () => {
    expect(resolveConnection({}, env())).toMatchObject({
      server: 'http://saved:8080',
      token: 'spt_saved',
      tokenSource: 'config',
    });
  });
  it('the environment’s token is not sent to a --server other than STOREPLANE_SERVER', () => {
    const e = env({ STOREPLANE_SERVER: 'http://prod', STOREPLANE_TOKEN: 'spt_prod' });
    expect(resolveConnection({}, e)).toMatchObject({ server: 'http://prod', token: 'spt_prod' });
    expect(resolveConnection({ server: 'http://staging' }, e).token).toBeUndefined();
    // Without STOREPLANE_SERVER, the token goes where --server says (CI: token + --server).
    expect(resolveConnection({ server: 'http://ci' }, env({ STOREPLANE_TOKEN: 'spt_ci' })).token).toBe(
      'spt_ci',
    );
  });
  it('STOREPLANE_SERVER and STOREPLANE_TOKEN come before the file; --server before both', () => {
    expect(resolveConnection({}, env({ STOREPLANE_TOKEN: 'spt_env' }))).toMatchObject({
      token: 'spt_env',
      tokenSource: 'STOREPLANE_TOKEN',
    });
    expect(
      resolveConnection({ server: 'http://flag' }, env({ STOREPLANE_SERVER: 'http://env' })).server,
    ).toBe('http://flag');
  });
  it('never sends the saved token to another server', () => {
    const c = resolveConnection({ server: 'http://elsewhere:8080' }, env());
    expect(c.token).toBeUndefined();
  });
  it('defaults to the local API', () => {
    expect(
      resolveConnection({}, { XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'storeplane-empty-')) }).server,
    ).toBe(defaultServer);
  });
});

describe('the config file', () => {
  it('is written 0600 (even over a wider file) and read back', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'storeplane-cfg-')), 'storeplane', 'config.json');
    writeConfig(file, { server: 'http://a', token: 'spt_x', tokenId: 'abc' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, readFileSync(file), { mode: 0o644 });
    writeConfig(file, { server: 'http://b' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readConfig(file)).toEqual({ server: 'http://b' });
  });
  it('tightens its own directory to 0700 and leaves no temporary file behind', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'storeplane-cfg-')), 'storeplane');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    writeConfig(join(dir, 'config.json'), { server: 'http://a' });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir)).toEqual(['config.json']);
  });
  it('a missing file is an empty config; a broken one is an error that says what to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'storeplane-cfg-'));
    expect(readConfig(join(dir, 'none.json'))).toEqual({});
    writeFileSync(join(dir, 'bad.json'), '{"server": ');
    expect(() => readConfig(join(dir, 'bad.json'))).toThrow(ConfigError);
    expect(() => readConfig(join(dir, 'bad.json'))).toThrow(/storeplane login/);
    writeFileSync(join(dir, 'list.json'), '[]');
    expect(() => readConfig(join(dir, 'list.json'))).toThrow(/JSON object/);
  });
  it('lives under $XDG_CONFIG_HOME, or ~/.config, or $STOREPLANE_CONFIG', () => {
    expect(configPath({ XDG_CONFIG_HOME: '/x' })).toBe('/x/storeplane/config.json');
    expect(configPath({ XDG_CONFIG_HOME: 'relative' })).toMatch(/\/\.config\/storeplane\/config\.json$/);
    expect(configPath({ STOREPLANE_CONFIG: '/y/c.json', XDG_CONFIG_HOME: '/x' })).toBe('/y/c.json');
  });
});
