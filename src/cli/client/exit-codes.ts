import { type ApiFailure, isLimitRefusal } from '../../client/failure.ts';

/** What the storeplane command's exit status means, for scripts (README: "The CLI"). */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  notFound: 3,
  refusedByLimit: 4,
  timedOut: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A refusal or fault the command ends with, in words, and the status it exits with. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.failed,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliFailure(message, ExitCode.usage);

/** The exit status for an API error: not found 3, a limit or rate 4, a bad request 2, else 1. */
export function exitCodeForApi(f: ApiFailure): ExitCode {
  if (f.status === 404) return ExitCode.notFound;
  if (isLimitRefusal(f)) return ExitCode.refusedByLimit;
  if (f.status === 400 || f.code === 'invalid_server') return ExitCode.usage;
  return ExitCode.failed;
}

/** The line(s) a person reads on stderr for an API error, with what to do where it is known. */
export function describeApiFailure(f: ApiFailure): string {
  const lines = [f.message];
  if (f.status === 401) lines.push('Sign in again with storeplane login (or check STOREPLANE_TOKEN).');
  if (f.code === 'insufficient_scope')
    lines.push('Make a token with that scope: storeplane login (or storeplane tokens create).');
  if (f.retryAfterSeconds !== undefined && !/try again in \d+/i.test(f.message))
    lines.push(`Try again in ${f.retryAfterSeconds} s.`);
  const problems = f.details.problems;
  if (Array.isArray(problems) && problems.length > 1) lines.push(...problems.map((p) => `  - ${String(p)}`));
  return lines.join('\n');
}
