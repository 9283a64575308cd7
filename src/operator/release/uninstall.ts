import { uninstallArgs } from '../../helm/args.ts';
import { classifyHelmError } from '../../helm/classify.ts';
import type { StoreContext } from '../reconcile/context.ts';

/**
 * `helm uninstall --wait`; a release that is already gone counts as uninstalled. Helm 3 and 4
 * uninstall a release whatever its newest revision says (pending-install, pending-upgrade,
 * failed, uninstalling: only `uninstalled` is refused), so what a helm stopped by SIGTERM or
 * killed leaves behind needs no unlock first (test/operator/cancel.int.test.ts).
 */
export async function uninstall(ctx: StoreContext): Promise<{ ok: true } | { ok: false; message: string }> {
  const r = await ctx.deps.helm.run(
    uninstallArgs(ctx.release, ctx.namespace, ctx.deps.config.helmTimeoutSeconds),
    {
      signal: ctx.signal,
    },
  );
  if (r.ok) return { ok: true };
  const e = classifyHelmError(r.stderr);
  return e.kind === 'release-not-found' ? { ok: true } : { ok: false, message: e.message };
}
