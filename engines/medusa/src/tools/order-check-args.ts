/** What `storeplane-medusa order-check` needs, read from argv and the environment. */
export interface OrderCheckSettings {
  baseUrl: string;
  adminEmail: string;
  adminPassword: string;
}

export type ParseResult = { ok: true; settings: OrderCheckSettings } | { ok: false; error: string };

export const orderCheckUsage =
  'usage: storeplane-medusa order-check --url <backend base url>\n' +
  '  env MEDUSA_ADMIN_EMAIL, MEDUSA_ADMIN_PASSWORD: the admin account that confirms the order';

/**
 * Pure: parses `--url <u>` / `--url=<u>`. The admin password only ever comes from the
 * environment, never from argv, so it stays out of process listings.
 */
export function parseOrderCheckArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ParseResult {
  let url: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--url') {
      url = argv[++i];
      if (url === undefined) return { ok: false, error: '--url needs a value' };
    } else if (arg.startsWith('--url=')) {
      url = arg.slice('--url='.length);
    } else {
      return { ok: false, error: `unknown argument: ${arg}` };
    }
  }
  if (!url) return { ok: false, error: 'missing --url <backend base url>' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, error: `--url is not a URL: ${url}` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, error: `--url must be http(s): ${url}` };
  }
  const adminEmail = env.MEDUSA_ADMIN_EMAIL ?? '';
  const adminPassword = env.MEDUSA_ADMIN_PASSWORD ?? '';
  if (!adminEmail || !adminPassword) {
    return { ok: false, error: 'MEDUSA_ADMIN_EMAIL and MEDUSA_ADMIN_PASSWORD must be set' };
  }
  return { ok: true, settings: { baseUrl: url.replace(/\/+$/, ''), adminEmail, adminPassword } };
}
