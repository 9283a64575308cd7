import type { Command } from 'commander';
import type { StoreplaneClient } from '../../api/client/client.ts';
import { ConfigError } from '../../client/config.ts';
import { clientFor, type Connection, resolveConnection } from '../../client/connection.ts';
import { ApiFailure } from '../../client/failure.ts';
import { UsageError } from '../usage-error.ts';
import { CliFailure, describeApiFailure, ExitCode, exitCodeForApi } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { type OutputFormat, outputFormat, outputOption } from './output.ts';

/** The exit status of the command that ran (commander's actions return nothing). */
export const outcome = { code: 0 as number };

/**
 * A command's action: runs `fn`, and turns what it throws into words on stderr and an exit
 * status (never a stack trace). `fn` returns its exit status, or nothing for 0.
 */
export function action<A extends unknown[]>(io: CliIo, fn: (...args: A) => Promise<number | void>) {
  return async (...args: A): Promise<void> => {
    try {
      outcome.code = (await fn(...args)) ?? ExitCode.ok;
    } catch (err) {
      outcome.code = report(io, err);
    }
  };
}

export function report(io: CliIo, err: unknown): number {
  if (err instanceof ApiFailure) {
    io.err(`storeplane: ${describeApiFailure(err)}\n`);
    return exitCodeForApi(err);
  }
  if (err instanceof CliFailure) {
    io.err(`storeplane: ${err.message}\n`);
    return err.exitCode;
  }
  if (err instanceof UsageError) {
    io.err(`storeplane: ${err.message}\n`);
    return ExitCode.usage;
  }
  if (err instanceof ConfigError) {
    io.err(`storeplane: ${err.message}\n`);
    return ExitCode.failed;
  }
  io.err(`storeplane: ${err instanceof Error ? err.message : String(err)}\n`);
  return ExitCode.failed;
}

/** The API connection for a command (its --server, the environment, the config file). */
export function connect(
  cmd: Command,
  io: CliIo,
  needToken = true,
): { connection: Connection; client: StoreplaneClient } {
  const { server } = cmd.optsWithGlobals<{ server?: string }>();
  const connection = resolveConnection({ server }, io.env);
  if (needToken && !connection.token)
    throw new CliFailure(
      `not signed in to ${connection.server}: run storeplane login${server ? ` --server ${server}` : ''}, or set STOREPLANE_TOKEN`,
    );
  return { connection, client: clientFor(connection) };
}

/**
 * A command that reads and prints (`-o table|json|yaml|name`): `run` gets the API connection,
 * the format, the options and the positional arguments, and returns the text for stdout.
 */
export function reads<O extends { output: string }>(
  io: CliIo,
  cmd: Command,
  run: (
    c: ReturnType<typeof connect> & { format: OutputFormat; opts: O },
    ...positional: string[]
  ) => Promise<string>,
): Command {
  return cmd.addOption(outputOption()).action(
    action(io, async (...args: unknown[]) => {
      const command = args.at(-1) as Command;
      const opts = args.at(-2) as O;
      const format = outputFormat(opts.output);
      io.out(await run({ ...connect(command, io), format, opts }, ...(args.slice(0, -2) as string[])));
    }),
  );
}
