/** Runs the engine's seed the way the chart's seed Job does, and reads its last word. */
import { join } from 'node:path';
import { entryPoint } from './engine.ts';
import { run } from './processes.ts';

export interface SeedRun {
  exitCode: number | null;
  /** "nothing to change", "N changes: …", or "(no summary line)". */
  summary: string;
  output: string;
}

/** The seed's last word, from Medusa's JSON log lines: "nothing to change" or "N changes: …". */
export function seedSummary(output: string): string {
  for (const line of output.split('\n')) {
    try {
      const { message } = JSON.parse(line) as { message?: string };
      const summary = /^storeplane seed: ((?:nothing|\d+ changes).*)$/.exec(message ?? '')?.[1];
      if (summary) return summary;
    } catch {
      // not a log line
    }
  }
  return '(no summary line)';
}

/** `storeplane-medusa seed` with the suite's environment (plus overrides), logged to <log>.log. */
export async function runSeed(
  env: Record<string, string>,
  resultsDir: string,
  log: string,
): Promise<SeedRun> {
  const result = await run(entryPoint, ['seed'], { env, log: join(resultsDir, `${log}.log`) });
  return { exitCode: result.code, summary: seedSummary(result.output), output: result.output };
}
