/** `medusa exec` of a harness script against the suite's database, as the seed Job runs it. */
import { join } from 'node:path';
import { engineDir } from './engine.ts';
import { runOk, type RunResult } from './processes.ts';

/** Runs test/medusa/harness/<script> in the built server; fails on a non-zero exit. */
export function medusaExec(
  env: Record<string, string>,
  resultsDir: string,
  script: string,
  args: string[],
): Promise<RunResult> {
  return runOk(
    join(engineDir, 'node_modules/.bin/medusa'),
    ['exec', join(import.meta.dirname, script), ...args],
    { cwd: join(engineDir, '.medusa/server'), env, log: join(resultsDir, 'medusa-exec.log') },
  );
}
