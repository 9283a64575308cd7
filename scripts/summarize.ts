// Totals every suite of a test run into the single closing line CI reads.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Counts, countChecks, countVitest, total } from './summary.ts';

const [dir = 'test-results', vitestStatus = '0'] = process.argv.slice(2);

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

const parts: Counts[] = [
  countChecks(await readOptional(join(dir, 'checks.jsonl'))),
  countVitest(await readOptional(join(dir, 'vitest.json')), Number(vitestStatus)),
];
const sum = total(parts);
process.stdout.write(
  `${sum.passed} passed, ${sum.failed} failed${sum.skipped ? `, ${sum.skipped} skipped` : ''}\n`,
);
process.exitCode = sum.failed > 0 ? 1 : 0;
