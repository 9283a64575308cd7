import { hostname } from 'node:os';
import type { Command } from 'commander';
import { clientFor, normalizeServer, ok, resolveConnection } from '../../../client/connection.ts';
import { writeConfig } from '../../../client/config.ts';
import { ApiFailure } from '../../../client/failure.ts';
import { withPasswordSession } from '../../../client/password-session.ts';
import { action, connect, reads } from '../action.ts';
import { CliFailure, usageError } from '../exit-codes.ts';
import { askPassword, type CliIo, promptLine, secretFromStdin } from '../io.ts';
import { renderOne } from '../output.ts';

/**
 * Revokes a token with itself. Undefined when done (or when it no longer works anyway: 401, 404),
 * else why not.
 */
async function revoke(t: { server: string; token: string; id: string }): Promise<string | undefined> {
  try {
    await ok(
      clientFor({ server: normalizeServer(t.server), token: t.token }).DELETE('/api/v1/tokens/{id}', {
        params: { path: { id: t.id } },
      }),
    );
    return undefined;
  } catch (err) {
    if (err instanceof ApiFailure && (err.status === 401 || err.status === 404)) return undefined;
    return (err as Error).message;
  }
}

/** login, logout, whoami. */
export function authCommands(program: Command, io: CliIo): void {
  program
    .command('login')
    .description('sign in to the API and keep a personal API token in the config file (0600)')
    .option('--username <name>', 'who signs in (asked on a terminal; default: the last one)')
    .option('--password-stdin', 'read the password from standard input instead of asking')
    .option(
      '--token-stdin',
      'keep an existing API token read from standard input instead of signing in with a password',
    )
    .option('--token-days <days>', 'days until the token made for this login stops working (1-366)', '30')
    .addHelpText(
      'after',
      '\nThe password is never taken on the command line. In scripts:\n  storeplane login --server URL --username admin --password-stdin < password-file\n  printf %s "$TOKEN" | storeplane login --server URL --token-stdin',
    )
    .action(
      action(
        io,
        async (
          o: { username?: string; passwordStdin?: boolean; tokenStdin?: boolean; tokenDays: string },
          cmd: Command,
        ) => {
          if (o.passwordStdin && o.tokenStdin)
            throw usageError('--password-stdin and --token-stdin exclude each other');
          const days = Number(o.tokenDays);
          if (!/^\d+$/.test(o.tokenDays) || days < 1 || days > 366)
            throw usageError(`--token-days takes 1 to 366 (got "${o.tokenDays}")`);
          const base = resolveConnection(
            { server: cmd.optsWithGlobals<{ server?: string }>().server },
            io.env,
          );
          const server = base.server;

          if (o.tokenStdin) {
            const token = (await secretFromStdin(io, 'Token: ')).trim();
            if (!token) throw usageError('no token on standard input');
            const session = await ok(clientFor({ server, token }).GET('/api/v1/session'));
            writeConfig(base.configFile, {
              server,
              username: session.user.username,
              token,
              tokenId: undefined,
              tokenExpiresAt: undefined,
            });
            io.err(
              `Signed in to ${server} as ${session.user.username} (${session.user.role}) with the given token.\nSaved in ${base.configFile}.\n`,
            );
            return;
          }

          const username =
            o.username ??
            (io.stdinIsTty
              ? await promptLine(`User name${base.config.username ? ` [${base.config.username}]` : ''}: `)
              : '') ??
            '';
          const who = username || base.config.username;
          if (!who) throw usageError('which user? give --username');
          const password = await askPassword(io, o.passwordStdin, 'Password: ');

          const previous = base.config;
          let made;
          try {
            made = await withPasswordSession(server, who, password, async (client, session) => ({
              session,
              created: await ok(
                client.POST('/api/v1/tokens', {
                  body: {
                    name: `storeplane CLI on ${hostname()}`.slice(0, 64),
                    scopes: session.scopes as never,
                    expiresInDays: days,
                  },
                }),
              ),
            }));
          } catch (err) {
            // "Sign in with storeplane login" is no help to someone doing just that.
            if (err instanceof ApiFailure && err.status === 401) throw new CliFailure(err.message);
            throw err;
          }
          const { created, session } = made;
          try {
            writeConfig(base.configFile, {
              server,
              username: session.user.username,
              token: created.token,
              tokenId: created.id,
              tokenExpiresAt: created.expiresAt,
            });
          } catch (err) {
            // Not kept anywhere: a live token nobody holds is revoked at once.
            await revoke({ server, token: created.token, id: created.id }).catch(() => undefined);
            throw new CliFailure(`could not save the token in ${base.configFile}: ${(err as Error).message}`);
          }
          // The token of the login before this one (on whichever server) is no longer needed.
          if (previous.token && previous.tokenId && previous.server) {
            const why = await revoke({
              server: previous.server,
              token: previous.token,
              id: previous.tokenId,
            });
            if (why)
              io.err(
                `storeplane: the previous login's token ${previous.tokenId} was not revoked (${why}).\n`,
              );
          }
          io.err(
            `Signed in to ${server} as ${session.user.username} (${session.user.role}).\n` +
              `Token ${created.id} saved in ${base.configFile}${created.expiresAt ? `; it expires ${created.expiresAt.slice(0, 10)}` : ''}.\n`,
          );
        },
      ),
    );

  program
    .command('logout')
    .description('revoke the token that login made and forget it')
    .action(
      action(io, async (_o: unknown, cmd: Command) => {
        const { connection } = connect(cmd, io, false);
        const { config, configFile } = connection;
        if (!config.token) {
          io.err(`Not signed in (${configFile} holds no token).\n`);
          return;
        }
        // Revoked where it was made, with itself, whatever the environment or --server say now.
        if (config.tokenId && config.server) {
          const why = await revoke({ server: config.server, token: config.token, id: config.tokenId });
          if (why)
            io.err(
              `storeplane: could not revoke token ${config.tokenId} (${why}); forgetting it anyway. Revoke it from the dashboard.\n`,
            );
        } else {
          io.err(
            'The token was given to login (--token-stdin), not made by it: it is forgotten here, not revoked.\n',
          );
        }
        writeConfig(configFile, { server: config.server, username: config.username });
        io.err(`Signed out of ${config.server ?? connection.server}.\n`);
      }),
    );

  reads(
    io,
    program.command('whoami').description('who the API takes you for: user, role, scopes, store limit'),
    async (c) => {
      const view = {
        server: c.connection.server,
        ...(await ok(c.client.GET('/api/v1/session'))),
        tokenSource: c.connection.tokenSource,
      };
      return renderOne(
        c.format,
        view,
        { headers: [], row: () => [], name: (v: typeof view) => v.user.username },
        (v) =>
          [
            `User:      ${v.user.username} (${v.user.role})`,
            `Server:    ${v.server}`,
            `Via:       ${v.via}${v.tokenSource === 'STOREPLANE_TOKEN' ? ' (STOREPLANE_TOKEN)' : ''}`,
            `Scopes:    ${v.scopes.join(', ')}`,
            `Stores:    ${v.limits.stores} of ${v.limits.storeLimit}`,
            '',
          ].join('\n'),
      );
    },
  );
}
