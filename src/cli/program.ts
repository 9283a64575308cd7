import { Argument, Command, CommanderError } from 'commander';
import { action, outcome, report } from './client/action.ts';
import { auditCommand, tokenCommands, userCommands } from './client/commands/admin.ts';
import { authCommands } from './client/commands/auth.ts';
import { storeCommands } from './client/commands/stores.ts';
import { bashCompletion, zshCompletion } from './client/completion.ts';
import { ExitCode } from './client/exit-codes.ts';
import type { CliIo } from './client/io.ts';
import { platformCommands } from './platform-commands.ts';

/**
 * The whole `storeplane` command tree (commander): running the platform (start, api, operator,
 * dev), and using it through the API (login, stores, tokens, users, audit, mcp).
 */
export function buildProgram(io: CliIo): Command {
  const program = new Command('storeplane');
  program
    .description('Provision isolated e-commerce stores (WooCommerce, MedusaJS) on Kubernetes.')
    .option(
      '--server <url>',
      'the API address (default: $STOREPLANE_SERVER, the login, or http://127.0.0.1:8080)',
    )
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
      outputError: (s, write) => write(`storeplane: ${s.replace(/^error: /, '')}`),
    })
    .showSuggestionAfterError(true)
    .exitOverride()
    .addHelpText(
      'after',
      `
Exit status: 0 ok, 1 failed, 2 usage, 3 not found, 4 refused by a limit, 5 timed out.
Environment: STOREPLANE_SERVER, STOREPLANE_TOKEN (instead of login), STOREPLANE_CONFIG (the config file).`,
    );

  platformCommands(program, io);
  authCommands(program, io);
  storeCommands(program, io);
  tokenCommands(program, io);
  userCommands(program, io);
  auditCommand(program, io);

  program
    .command('mcp')
    .description(
      'a Model Context Protocol server on stdio, for AI agents (uses STOREPLANE_TOKEN or the login)',
    )
    .action(
      action(io, async (_o: unknown, cmd: Command) => {
        const { runMcpServer } = await import('../mcp/server.ts');
        return runMcpServer({
          server: cmd.optsWithGlobals<{ server?: string }>().server,
          env: io.env,
          log: io.err,
        });
      }),
    );

  program
    .command('completion')
    .description('print the shell completion script: source <(storeplane completion bash)')
    .addArgument(new Argument('<shell>', 'bash or zsh').choices(['bash', 'zsh']))
    .action(
      action(io, async (shell: string) => {
        io.out(shell === 'zsh' ? zshCompletion(program) : bashCompletion(program));
      }),
    );
  return program;
}

/** Runs one command line (everything after `storeplane`) and gives its exit status. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // `dev minikube up`: say which kinds of cluster there are, rather than "unknown command".
  if (argv[0] === 'dev' && argv[1] !== 'kind' && argv[1] !== 'k3d') {
    const docker = await import('./docker-cluster/run.ts');
    if (docker.isDockerClusterCommand(argv)) return docker.devDockerCluster(argv.slice(1));
  }
  const program = buildProgram(io);
  if (argv.length === 0) {
    program.outputHelp();
    return ExitCode.ok;
  }
  outcome.code = ExitCode.ok;
  try {
    await program.parseAsync(argv, { from: 'user' });
    return outcome.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with their own status (0).
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    return report(io, err);
  }
}
