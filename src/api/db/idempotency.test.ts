import { describe, expect, it } from 'vitest';
import { holder } from './idempotency.ts';

describe('holder', () => {
  const done = { fingerprint: 'f1', state: 'done' as const, status_code: 201, response: '{"body":{}}' };
  const pending = { fingerprint: 'f1', state: 'pending' as const, status_code: null, response: null };

  it('replays a finished request with the same fingerprint', () => {
    expect(holder(done, 'f1')).toEqual({ kind: 'done', statusCode: 201, response: '{"body":{}}' });
  });

  it('says pending while the first request runs', () => {
    expect(holder(pending, 'f1')).toEqual({ kind: 'pending' });
  });

  it('refuses another request under the same key, finished or not', () => {
    expect(holder(done, 'f2')).toEqual({ kind: 'mismatch' });
    expect(holder(pending, 'f2')).toEqual({ kind: 'mismatch' });
  });
});
