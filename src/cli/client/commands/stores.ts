import { spawn } from 'node:child_process';
import { type Command, Option } from 'commander';
import type { StoreDetail, StoreplaneClient, StoreSummary } from '../../../api/client/client.ts';
import type { Connection } from '../../../client/connection.ts';
import { ok } from '../../../client/connection.ts';
import { allStores } from '../../../client/stores.ts';
import { type WaitFor, waitForStore } from '../../../client/wait.ts';
import { engines, phases, plans } from '../../../store/schema.ts';
import { action, connect, reads } from '../action.ts';
import { CliFailure, ExitCode, usageError } from '../exit-codes.ts';
import { parseDuration, printable } from '../format.ts';
import { type CliIo, promptLine } from '../io.ts';
import { outputFormat, outputOption, renderList, renderOne } from '../output.ts';
import { progressReporter, readyLine } from '../progress.ts';
import { type ClusterInfo, describeStore, eventView, phaseText, storeView } from '../views.ts';

const timeoutOption = (fallback: string) =>
  new Option('--timeout <duration>', 'how long to wait: 90s, 10m, 1h30m').default(fallback);

function timeoutMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined)
    throw usageError(`--timeout takes a duration such as 90s, 10m or 1h30m, up to 24h (got "${text}")`);
  return ms;
}

/**
 * Waits on the live stream and says how it ended: 0 at the wanted state, 1 when the store stalls
 * (with the reason and the fix) or goes away, 5 when the time is up.
 */
async function follow(
  io: CliIo,
  c: { connection: Connection; client: StoreplaneClient },
  name: string,
  want: WaitFor,
  ms: number,
  format: string,
): Promise<number> {
  const reporter = progressReporter(io, name);
  let result;
  try {
    result = await waitForStore({
      client: c.client,
      connection: c.connection,
      name,
      want,
      timeoutMs: ms,
      onEvent: (e) => reporter.onEvent(e),
    });
  } finally {
    reporter.stop();
  }
  const store = result.store;
  switch (result.verdict) {
    case 'done':
      if (want === 'deleted') {
        io.err(`${name} is deleted.\n`);
        return ExitCode.ok;
      }
      if (format === 'table') io.out(readyLine(store!, await clusterOf(c.client)));
      else io.out(renderOne(outputFormat(format), store!, storeView, readyLine));
      return ExitCode.ok;
    case 'stalled': {
      const f = store?.lastFailure;
      throw new CliFailure(
        `${name} failed and waits for a person (${store ? phaseText(store) : 'stalled'}).\n` +
          (f
            ? `  Reason: ${printable(f.reason)}\n  ${printable(f.message)}\n  Fix: ${printable(f.fix)}\n`
            : '') +
          `  Then: storeplane stores retry ${name}`,
        ExitCode.failed,
      );
    }
    case 'gone':
      throw new CliFailure(
        store
          ? `${name} is being deleted; it will not become Ready`
          : `${name} was deleted while waiting for it`,
        ExitCode.failed,
      );
    case 'timeout':
      throw new CliFailure(
        `timed out after ${ms / 1000}s waiting for ${name} to be ${want === 'ready' ? 'Ready' : 'deleted'}` +
          (store ? ` (now ${phaseText(store)})` : '') +
          `; it goes on without you: storeplane stores wait ${name}${want === 'deleted' ? ' --for deleted' : ''}`,
        ExitCode.timedOut,
      );
  }
}

/** Where the platform runs, for the note under a store's links; none when the API cannot say. */
async function clusterOf(client: StoreplaneClient): Promise<ClusterInfo | undefined> {
  const r = await client.GET('/api/v1/platform').catch(() => undefined);
  return r?.data?.cluster;
}

const nameArg = '<name>';
const byName = (name: string) => ({ params: { path: { name } } });

/** stores list|get|create|delete|retry|wait|events|credentials|open */
export function storeCommands(program: Command, io: CliIo): void {
  const stores = program.command('stores').description('create, watch and delete stores');

  const list = stores
    .command('list')
    .alias('ls')
    .description('the stores you may see (admins: every store)')
    .addOption(new Option('--phase <phase>', 'only stores in this phase').choices([...phases]))
    .addOption(new Option('--engine <engine>', 'only stores of this engine').choices([...engines]))
    .option('--owner <user>', "only this owner's stores (admins)");
  reads<{ phase?: StoreSummary['phase']; engine?: StoreSummary['engine']; owner?: string; output: string }>(
    io,
    list,
    async (c) => {
      const found = await allStores(c.client, {
        phase: c.opts.phase,
        engine: c.opts.engine,
        owner: c.opts.owner,
      });
      if (!found.length && c.format === 'table')
        io.err('No stores. Create one: storeplane stores create --engine medusa --display-name "My shop"\n');
      return renderList(c.format, 'stores', found, storeView);
    },
  );

  reads(
    io,
    stores
      .command('get')
      .description('one store: phase, URLs, the provisioning pipeline, the last failure and its fix')
      .argument(nameArg, 'the store'),
    async (c, name) => {
      const store = await ok(c.client.GET('/api/v1/stores/{name}', byName(name!)));
      const cluster = c.format === 'table' ? await clusterOf(c.client) : undefined;
      return renderOne<StoreDetail>(c.format, store, storeView, (x) => describeStore(x, Date.now(), cluster));
    },
  );

  stores
    .command('create')
    .description('ask for a new store (it provisions in the background; --wait to follow it)')
    .addOption(
      new Option('--engine <engine>', 'woocommerce or medusa').choices([...engines]).makeOptionMandatory(),
    )
    .requiredOption('--display-name <text>', 'the name people see (up to 80 characters of any text)')
    .option('--name <name>', 'the DNS name (3-30 of a-z, 0-9, -); derived from the display name when absent')
    .addOption(new Option('--plan <plan>', 'size: quota and resources').choices([...plans]))
    .option('--wait', 'follow the store until it is Ready, printing each stage')
    .addOption(timeoutOption('10m'))
    .addOption(outputOption())
    .action(
      action(
        io,
        async (
          o: {
            engine: (typeof engines)[number];
            displayName: string;
            name?: string;
            plan?: (typeof plans)[number];
            wait?: boolean;
            timeout: string;
            output: string;
          },
          cmd: Command,
        ) => {
          const format = outputFormat(o.output);
          const ms = timeoutMs(o.timeout);
          const c = connect(cmd, io);
          const created = await ok(
            c.client.POST('/api/v1/stores', {
              body: {
                displayName: o.displayName,
                engine: o.engine,
                // An empty --name is sent, so it is refused as the API refuses it, never ignored.
                ...(o.name !== undefined ? { name: o.name } : {}),
                ...(o.plan ? { plan: o.plan } : {}),
              },
            }),
          );
          if (!o.wait) {
            if (format === 'table')
              io.out(
                `${created.name} created (${created.phase}). Follow it: storeplane stores wait ${created.name}\n`,
              );
            else io.out(renderOne(format, created, storeView, () => ''));
            return;
          }
          io.err(`${created.name} created; provisioning…\n`);
          return follow(io, c, created.name, 'ready', ms, format);
        },
      ),
    );

  stores
    .command('delete')
    .alias('rm')
    .description('delete a store and everything it owns')
    .argument(nameArg, 'the store')
    .option('-y, --yes', 'do not ask for confirmation (required without a terminal)')
    .option('--wait', 'wait until it is gone')
    .addOption(timeoutOption('10m'))
    .action(
      action(
        io,
        async (name: string, o: { yes?: boolean; wait?: boolean; timeout: string }, cmd: Command) => {
          const ms = timeoutMs(o.timeout);
          const c = connect(cmd, io);
          if (!o.yes) {
            if (!io.stdinIsTty) throw usageError(`deleting ${name} needs confirmation: add --yes`);
            const typed = await promptLine(
              `This deletes ${name} and all its data. Type its name to confirm: `,
            );
            if (typed !== name) throw new CliFailure('the name did not match; nothing was deleted');
          }
          await ok(c.client.DELETE('/api/v1/stores/{name}', byName(name)));
          if (!o.wait) {
            io.err(`${name} is being deleted.\n`);
            return;
          }
          io.err(`${name} is being deleted…\n`);
          return follow(io, c, name, 'deleted', ms, 'table');
        },
      ),
    );

  reads(
    io,
    stores
      .command('retry')
      .description('try a failed or stalled store again (after fixing the cause)')
      .argument(nameArg, 'the store'),
    async (c, name) => {
      const s = await ok(c.client.POST('/api/v1/stores/{name}/retry', byName(name!)));
      if (c.format !== 'table') return renderOne(c.format, s, storeView, () => '');
      io.err(`${s.name}: retry requested (${phaseText(s)}). Follow it: storeplane stores wait ${s.name}\n`);
      return '';
    },
  );

  stores
    .command('wait')
    .description('wait until a store is Ready (or deleted); exits 1 if it stalls, 5 on timeout')
    .argument(nameArg, 'the store')
    .addOption(new Option('--for <state>', 'what to wait for').choices(['ready', 'deleted']).default('ready'))
    .addOption(timeoutOption('10m'))
    .addOption(outputOption())
    .action(
      action(io, async (name: string, o: { for: WaitFor; timeout: string; output: string }, cmd: Command) => {
        const ms = timeoutMs(o.timeout);
        outputFormat(o.output);
        return follow(io, connect(cmd, io), name, o.for, ms, o.output);
      }),
    );

  reads(
    io,
    stores
      .command('events')
      .description("the Kubernetes events of a store's namespace and resources")
      .argument(nameArg, 'the store'),
    async (c, name) => {
      const { events } = await ok(c.client.GET('/api/v1/stores/{name}/events', byName(name!)));
      if (!events.length && c.format === 'table') io.err(`No events for ${name}.\n`);
      return renderList(c.format, 'events', events, eventView);
    },
  );

  reads(
    io,
    stores
      .command('credentials')
      .description("reveal the store admin's login (audited)")
      .argument(nameArg, 'the store'),
    async (c, name) =>
      renderOne(
        c.format,
        await ok(c.client.POST('/api/v1/stores/{name}/credentials/reveal', byName(name!))),
        { headers: [], row: () => [], name: (x) => x.username },
        (x) =>
          `Admin URL:  ${x.adminUrl ?? '-'}\nUsername:   ${printable(x.username)}\nPassword:   ${printable(x.password)}\n`,
      ),
  );

  stores
    .command('open')
    .description('print the storefront URL (--admin: the admin) and open it in a browser when there is one')
    .argument(nameArg, 'the store')
    .option('--admin', 'the admin URL instead of the storefront')
    .option('--no-browser', 'only print the URL')
    .action(
      action(io, async (name: string, o: { admin?: boolean; browser: boolean }, cmd: Command) => {
        const { client } = connect(cmd, io);
        const s = await ok(client.GET('/api/v1/stores/{name}', byName(name)));
        const url = o.admin ? s.adminUrl : s.url;
        if (!url) throw new CliFailure(`${name} has no ${o.admin ? 'admin ' : ''}URL yet (${phaseText(s)})`);
        io.out(`${url}\n`);
        if (o.browser) openInBrowser(url, io);
      }),
    );
}

/**
 * Opens `url` with the desktop's opener when a display is there. The URL is one argv element
 * (never a shell string) and must be http(s), so it cannot be read as an option.
 */
function openInBrowser(url: string, io: CliIo): void {
  if (!/^https?:\/\//.test(url)) return;
  const opener =
    process.platform === 'darwin'
      ? 'open'
      : io.env.DISPLAY || io.env.WAYLAND_DISPLAY
        ? 'xdg-open'
        : undefined;
  if (!opener) return;
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}
