import { describe, expect, it } from 'vitest';
import { chooseBackend } from './backend.ts';

describe('chooseBackend', () => {
  it('uses SQLite in the data directory without a URL', () => {
    expect(chooseBackend(undefined, '/var/lib/storeplane')).toEqual({
      kind: 'sqlite',
      file: '/var/lib/storeplane/platform.db',
    });
    expect(chooseBackend('  ', '/d')).toEqual({ kind: 'sqlite', file: '/d/platform.db' });
  });

  it('takes both PostgreSQL schemes', () => {
    for (const url of ['postgres://u:p@h/db', 'postgresql://u:p@h:5433/db', 'POSTGRES://h/db']) {
      expect(chooseBackend(url, '/d')).toEqual({ kind: 'postgres', url });
    }
  });

  it('refuses other schemes naming the accepted ones, never quoting the URL', () => {
    const err = catchError(() => chooseBackend('mysql://root:hunter2@db/platform', '/d'));
    expect(err.message).toMatch(/postgres:\/\/ or postgresql:\/\//);
    expect(err.message).toContain('mysql://');
    expect(err.message).not.toContain('hunter2');
  });

  it('does not take a username for a scheme', () => {
    const err = catchError(() => chooseBackend('admin:hunter2@db/platform', '/d'));
    expect(err.message).not.toContain('admin');
    expect(err.message).not.toContain('hunter2');
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}
