import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../client/failure.ts';
import { describeApiFailure, ExitCode, exitCodeForApi } from './exit-codes.ts';

describe('exit status for an API error', () => {
  it.each([
    [404, 'not_found', ExitCode.notFound],
    [403, 'store_limit_reached', ExitCode.refusedByLimit],
    [503, 'platform_full', ExitCode.refusedByLimit],
    [429, 'too_many_provisioning', ExitCode.refusedByLimit],
    [429, 'rate_limited', ExitCode.refusedByLimit],
    [400, 'invalid_request', ExitCode.usage],
    [0, 'invalid_server', ExitCode.usage],
    [401, 'unauthorized', ExitCode.failed],
    [403, 'forbidden', ExitCode.failed],
    [409, 'store_exists', ExitCode.failed],
    [500, 'internal', ExitCode.failed],
    [0, 'unreachable', ExitCode.failed],
  ])('%d %s exits %d', (status, code, exit) => {
    expect(exitCodeForApi(new ApiFailure(status, code, 'x'))).toBe(exit);
  });
});

describe('words for an API error', () => {
  it('says how to sign in on a 401', () => {
    expect(describeApiFailure(new ApiFailure(401, 'unauthorized', 'Sign in.'))).toContain('storeplane login');
  });
  it('adds when to try again unless the message says it', () => {
    expect(describeApiFailure(new ApiFailure(429, 'too_many_provisioning', 'Busy.', {}, undefined, 30))).toBe(
      'Busy.\nTry again in 30 s.',
    );
    expect(
      describeApiFailure(new ApiFailure(429, 'rate_limited', 'Try again in 7 s.', {}, undefined, 7)),
    ).toBe('Try again in 7 s.');
  });
  it('lists several validation problems one per line', () => {
    const f = new ApiFailure(400, 'invalid_request', 'Two problems.', {
      problems: ['name: too short', 'plan: unknown'],
    });
    expect(describeApiFailure(f)).toBe('Two problems.\n  - name: too short\n  - plan: unknown');
  });
});
