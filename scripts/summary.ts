export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

const zero: Counts = { passed: 0, failed: 0, skipped: 0 };

export function total(parts: Counts[]): Counts {
  return parts.reduce(
    (a, b) => ({ passed: a.passed + b.passed, failed: a.failed + b.failed, skipped: a.skipped + b.skipped }),
    zero,
  );
}

/** One JSON object per line: {"name": ..., "ok": true|false}. */
export function countChecks(jsonl: string | undefined): Counts {
  const lines = (jsonl ?? '').split('\n').filter((l) => l.trim());
  const oks = lines.map((l) => (JSON.parse(l) as { ok: boolean }).ok);
  return { passed: oks.filter(Boolean).length, failed: oks.filter((ok) => !ok).length, skipped: 0 };
}

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numFailedTestSuites: number;
}

/**
 * Counts from vitest's JSON report. A run that failed without a failing test (a crashed global
 * setup, a file that does not load) still counts as failed, never as green.
 */
export function countVitest(json: string | undefined, exitStatus: number): Counts {
  if (!json) return { ...zero, failed: 1 };
  const r = JSON.parse(json) as VitestJson;
  const counts = {
    passed: r.numPassedTests,
    failed: r.numFailedTests + (r.numFailedTests === 0 ? r.numFailedTestSuites : 0),
    skipped: r.numPendingTests + r.numTodoTests,
  };
  if (exitStatus !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}
