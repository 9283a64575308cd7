import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { Compile } from 'typebox/compile';
import { version } from '../api/version.ts';
import { clientFor, ok, resolveConnection } from '../client/connection.ts';
import { ApiFailure } from '../client/failure.ts';
import { errorResult, tools } from './tools.ts';

const instructions = `Storeplane provisions e-commerce stores (WooCommerce or MedusaJS) on Kubernetes.
create_store starts provisioning; wait_for_store follows it to Ready (call again on "timeout").
A store that stalls needs a person: read lastFailure.fix, then retry_store.
delete_store destroys a store's data: only on the user's explicit request, with confirm = the name.`;

const checks = new Map(tools.map((t) => [t.name, Compile(t.inputSchema)]));

/**
 * `storeplane mcp`: the tools over stdio (JSON-RPC on stdout, logs on stderr). Low-level Server
 * rather than McpServer: our input schemas are JSON Schema from the Store schema, not zod (ADR 0015).
 */
export async function runMcpServer(o: {
  server?: string;
  env: NodeJS.ProcessEnv;
  log: (text: string) => void;
}): Promise<number> {
  const connection = resolveConnection({ server: o.server }, o.env);
  if (!connection.token) {
    o.log(
      `storeplane mcp: no API token for ${connection.server}: set STOREPLANE_TOKEN, or run storeplane login\n`,
    );
    return 1;
  }
  const client = clientFor(connection);
  try {
    const me = await ok(client.GET('/api/v1/session'));
    o.log(
      `storeplane mcp: serving ${connection.server} as ${me.user.username} (scopes: ${me.scopes.join(', ')})\n`,
    );
  } catch (err) {
    o.log(`storeplane mcp: ${err instanceof ApiFailure ? err.message : String(err)}\n`);
    return 1;
  }

  const mcp = new Server(
    { name: 'storeplane', title: 'Storeplane', version },
    { capabilities: { tools: {} }, instructions },
  );

  mcp.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: tools.map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: t.inputSchema as never,
      annotations: { title: t.title, ...t.annotations },
    })),
  }));

  mcp.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = tools.find((t) => t.name === request.params.name);
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    const fail = (error: ReturnType<typeof errorResult>) => ({
      isError: true,
      content: [{ type: 'text' as const, text: JSON.stringify({ error }) }],
      structuredContent: { error },
    });
    if (!tool)
      return fail({
        code: 'unknown_tool',
        message: `No tool "${request.params.name}". Tools: ${tools.map((t) => t.name).join(', ')}.`,
      });
    const check = checks.get(tool.name)!;
    if (!check.Check(args)) {
      const problems = [...check.Errors(args)].map((e) => `${e.instancePath || '(arguments)'} ${e.message}`);
      return fail({
        code: 'invalid_arguments',
        message: `Invalid arguments for ${tool.name}: ${problems.join('; ')}.`,
        details: { problems },
      });
    }
    const token = extra._meta?.progressToken;
    // Sent before the result, not after it: a client stops listening once it has the answer.
    const notes: Promise<void>[] = [];
    try {
      const result = (await tool.run(args, {
        client,
        connection,
        signal: extra.signal,
        progress: (message, progress) => {
          if (token === undefined) return;
          const note = extra
            .sendNotification({
              method: 'notifications/progress',
              params: { progressToken: token, progress, message },
            })
            .catch(() => undefined);
          notes.push(note);
        },
      })) as Record<string, unknown>;
      await Promise.all(notes);
      return {
        content: [{ type: 'text' as const, text: JSON.stringify(result) }],
        structuredContent: result,
      };
    } catch (err) {
      return fail(errorResult(err));
    }
  });

  const closed = new Promise<void>((resolve) => {
    mcp.onclose = () => resolve();
  });
  await mcp.connect(new StdioServerTransport());
  // The client went away (stdin closed): stop serving.
  process.stdin.once('end', () => void mcp.close());
  await closed;
  return 0;
}
