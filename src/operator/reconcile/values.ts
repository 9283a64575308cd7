import { releaseValues } from '../../store/engines.ts';
import { layerValues, type Values } from '../../store/values-layers.ts';
import { withValue } from '../charts.ts';
import type { StoreContext } from './context.ts';

/** The values file Helm gets: the environment's values, the store's own, and the pinned volume sizes. */
export function helmValues(ctx: StoreContext): Values {
  let values = layerValues(
    ctx.deps.config.chartValues[ctx.store.spec.engine] ?? {},
    releaseValues(ctx.store, ctx.deps.config.expose),
  );
  for (const [path, size] of ctx.pinnedValues) values = withValue(values, path, size);
  return values;
}

/** What the chart will see: its own defaults under the values Helm gets. */
export function effectiveValues(ctx: StoreContext): Values {
  return layerValues(ctx.chart.defaults, helmValues(ctx));
}
