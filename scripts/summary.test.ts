import { describe, expect, it } from 'vitest';
import { countChecks, countVitest, total } from './summary.ts';

const report = (r: Partial<Record<string, number>>) =>
  JSON.stringify({
    numPassedTests: 0,
    numFailedTests: 0,
    numPendingTests: 0,
    numTodoTests: 0,
    numFailedTestSuites: 0,
    ...r,
  });

describe('countVitest', () => {
  const cases = [
    {
      name: 'all green',
      json: report({ numPassedTests: 12 }),
      exit: 0,
      want: { passed: 12, failed: 0, skipped: 0 },
    },
    {
      name: 'failures and skips',
      json: report({ numPassedTests: 3, numFailedTests: 2, numPendingTests: 1, numTodoTests: 1 }),
      exit: 1,
      want: { passed: 3, failed: 2, skipped: 2 },
    },
    {
      name: 'a file that failed to load',
      json: report({ numPassedTests: 5, numFailedTestSuites: 1 }),
      exit: 1,
      want: { passed: 5, failed: 1, skipped: 0 },
    },
    {
      name: 'non-zero exit with nothing failed (global setup crashed)',
      json: report({}),
      exit: 1,
      want: { passed: 0, failed: 1, skipped: 0 },
    },
    { name: 'no report at all', json: undefined, exit: 1, want: { passed: 0, failed: 1, skipped: 0 } },
  ];
  for (const tc of cases) it(tc.name, () => expect(countVitest(tc.json, tc.exit)).toEqual(tc.want));
});

describe('countChecks and total', () => {
  it('counts each check line once', () => {
    const lines = '{"name":"a","ok":true}\n{"name":"b","ok":false}\n{"name":"c","ok":true}\n';
    expect(countChecks(lines)).toEqual({ passed: 2, failed: 1, skipped: 0 });
    expect(countChecks(undefined)).toEqual({ passed: 0, failed: 0, skipped: 0 });
  });
  it('adds every suite', () => {
    expect(
      total([
        { passed: 2, failed: 1, skipped: 0 },
        { passed: 10, failed: 0, skipped: 3 },
      ]),
    ).toEqual({ passed: 12, failed: 1, skipped: 3 });
  });
});
