import { type Command, Option } from 'commander';
import { ok, resolveConnection } from '../../../client/connection.ts';
import { withPasswordSession } from '../../../client/password-session.ts';
import { action, connect, reads } from '../action.ts';
import { usageError } from '../exit-codes.ts';
import { askPassword, type CliIo, secretFromStdin } from '../io.ts';
import { outputFormat, outputOption, renderList, renderOne } from '../output.ts';
import { auditView, tokenView, userView } from '../views.ts';

const scopes = ['stores:read', 'stores:write', 'credentials:reveal', 'admin'] as const;

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max))
    throw usageError(`${flag} takes a whole number from ${min} to ${max} (got "${text}")`);
  return n;
}

/** tokens create|list|revoke */
export function tokenCommands(program: Command, io: CliIo): void {
  const tokens = program
    .command('tokens')
    .description('your personal API tokens (for scripts, CI and agents)');

  reads(io, tokens.command('list').alias('ls').description('your tokens (never their values)'), async (c) =>
    renderList(c.format, 'tokens', (await ok(c.client.GET('/api/v1/tokens'))).tokens, tokenView),
  );

  tokens
    .command('create')
    .description('make a token; its value is printed once. Needs your password (a token cannot make tokens)')
    .requiredOption('--name <text>', 'what the token is for')
    .addOption(
      new Option('--scope <scope...>', 'repeatable; default: stores:read and stores:write').choices([
        ...scopes,
      ]),
    )
    .option('--expires-in-days <days>', 'days until it stops working (1-366)', '30')
    .option('--no-expiry', 'a token that never expires')
    .option('--username <name>', 'whose token (default: who logged in)')
    .option('--password-stdin', 'read the password from standard input instead of asking')
    .addOption(outputOption())
    .action(
      action(
        io,
        async (
          o: {
            name: string;
            scope?: string[];
            expiresInDays: string;
            expiry: boolean;
            username?: string;
            passwordStdin?: boolean;
            output: string;
          },
          cmd: Command,
        ) => {
          const format = outputFormat(o.output);
          const days = o.expiry ? wholeNumber('--expires-in-days', o.expiresInDays, 1, 366) : null;
          const c = resolveConnection({ server: cmd.optsWithGlobals<{ server?: string }>().server }, io.env);
          const username = o.username ?? c.config.username;
          if (!username) throw usageError('whose token? give --username (or storeplane login first)');
          const password = await askPassword(io, o.passwordStdin, `Password for ${username}: `);
          const created = await withPasswordSession(c.server, username, password, (client) =>
            ok(
              client.POST('/api/v1/tokens', {
                body: {
                  name: o.name,
                  scopes: (o.scope ?? ['stores:read', 'stores:write']) as never,
                  expiresInDays: days,
                },
              }),
            ),
          );
          if (format === 'table') {
            io.err(
              `Token ${created.id} created${created.expiresAt ? `, expires ${created.expiresAt.slice(0, 10)}` : ', never expires'}. It is shown this once:\n`,
            );
            io.out(`${created.token}\n`);
          } else io.out(renderOne(format, created, tokenView, () => ''));
        },
      ),
    );

  tokens
    .command('revoke')
    .description('revoke one of your tokens')
    .argument('<id>', 'the token id (tokens list)')
    .action(
      action(io, async (id: string, _o: unknown, cmd: Command) => {
        if (!/^[a-z0-9]{12}$/.test(id))
          throw usageError(`"${id}" is not a token id (12 of a-z, 0-9; see storeplane tokens list)`);
        const { client } = connect(cmd, io);
        await ok(client.DELETE('/api/v1/tokens/{id}', { params: { path: { id } } }));
        io.err(`Token ${id} revoked.\n`);
      }),
    );
}

/** users list|create|disable|enable|set-limit|set-role (admins) */
export function userCommands(program: Command, io: CliIo): void {
  const users = program.command('users').description('platform users (admins)');

  reads(io, users.command('list').alias('ls').description('every user'), async (c) =>
    renderList(c.format, 'users', (await ok(c.client.GET('/api/v1/users'))).users, userView),
  );

  users
    .command('create')
    .description('add a user; without --password-stdin a password is generated and printed once')
    .argument('<username>', 'their user name')
    .addOption(new Option('--role <role>', 'admin or member').choices(['admin', 'member']).default('member'))
    .option('--store-limit <n>', 'stores they may own (default: the platform limit)')
    .option('--password-stdin', 'read their password from standard input')
    .addOption(outputOption())
    .action(
      action(
        io,
        async (
          username: string,
          o: { role: 'admin' | 'member'; storeLimit?: string; passwordStdin?: boolean; output: string },
          cmd: Command,
        ) => {
          const format = outputFormat(o.output);
          const storeLimit =
            o.storeLimit === undefined ? undefined : wholeNumber('--store-limit', o.storeLimit, 0, 10000);
          const password = o.passwordStdin ? await secretFromStdin(io, 'Their password: ') : undefined;
          const { client } = connect(cmd, io);
          const u = await ok(
            client.POST('/api/v1/users', {
              body: {
                username,
                role: o.role,
                ...(password ? { password } : {}),
                ...(storeLimit !== undefined ? { storeLimit } : {}),
              },
            }),
          );
          if (format !== 'table') {
            io.out(renderOne(format, u, userView, () => ''));
            return;
          }
          io.err(`User ${u.username} (${u.role}) created.\n`);
          if (u.password) {
            io.err('Their password, shown this once:\n');
            io.out(`${u.password}\n`);
          }
        },
      ),
    );

  const patch = (
    verb: string,
    description: string,
    body: (value: string | undefined) => Record<string, unknown>,
    valueName?: string,
  ) => {
    const c = users.command(verb).description(description).argument('<username>', 'the user');
    if (valueName) c.argument(valueName);
    c.addOption(outputOption()).action(
      action(io, async (...args: unknown[]) => {
        const username = args[0] as string;
        const value = valueName ? (args[1] as string) : undefined;
        const o = args[valueName ? 2 : 1] as { output: string };
        const cmd = args[valueName ? 3 : 2] as Command;
        const format = outputFormat(o.output);
        const { client } = connect(cmd, io);
        const u = await ok(
          client.PATCH('/api/v1/users/{username}', {
            params: { path: { username } },
            body: body(value) as never,
          }),
        );
        io.out(
          renderOne(
            format,
            u,
            userView,
            (x) =>
              `${x.username}: ${x.role}, ${x.disabled ? 'disabled' : 'enabled'}, store limit ${x.storeLimit ?? 'default'}\n`,
          ),
        );
      }),
    );
  };
  patch('disable', 'disable a user (their sessions and tokens stop working)', () => ({ disabled: true }));
  patch('enable', 'enable a disabled user', () => ({ disabled: false }));
  patch(
    'set-limit',
    'set how many stores a user may own ("default": the platform limit)',
    (v) => ({ storeLimit: v === 'default' ? null : wholeNumber('the limit', v ?? '', 0, 10000) }),
    '<limit>',
  );
  patch(
    'set-role',
    'make a user an admin or a member',
    (v) => {
      if (v !== 'admin' && v !== 'member') throw usageError(`the role is admin or member (got "${v}")`);
      return { role: v };
    },
    '<role>',
  );
}

/** audit: the audit log (admins: everyone's; members: their own) */
export function auditCommand(program: Command, io: CliIo): void {
  program
    .command('audit')
    .description("the audit log, newest first (admins: everyone's; members: their own)")
    .option('--actor <user>', 'only this actor')
    .option('--action <action>', 'only this action, e.g. store.create')
    .option('--target <target>', 'only this target, e.g. store:ninas-bikes')
    .addOption(
      new Option('--outcome <outcome>', 'only this outcome').choices(['success', 'refused', 'failure']),
    )
    .option('--since <time>', 'from this ISO time, e.g. 2026-12-01T00:00:00Z')
    .option('--limit <n>', 'at most this many (1-500)', '50')
    .option('--before <id>', 'entries older than this id (the next page)')
    .addOption(outputOption())
    .action(
      action(
        io,
        async (
          o: {
            actor?: string;
            action?: string;
            target?: string;
            outcome?: 'success' | 'refused' | 'failure';
            since?: string;
            limit: string;
            before?: string;
            output: string;
          },
          cmd: Command,
        ) => {
          const format = outputFormat(o.output);
          wholeNumber('--limit', o.limit, 1, 500);
          if (o.since !== undefined && Number.isNaN(Date.parse(o.since)))
            throw usageError(`--since takes an ISO time (got "${o.since}")`);
          const since = o.since === undefined ? undefined : new Date(o.since).toISOString();
          const { client } = connect(cmd, io);
          const page = await ok(
            client.GET('/api/v1/audit', {
              params: {
                query: {
                  actor: o.actor,
                  action: o.action,
                  target: o.target,
                  outcome: o.outcome,
                  since,
                  limit: o.limit,
                  before: o.before,
                },
              },
            }),
          );
          io.out(renderList(format, 'entries', page.entries, auditView));
          if (page.next && format === 'table') io.err(`More: storeplane audit --before ${page.next}\n`);
        },
      ),
    );
}
