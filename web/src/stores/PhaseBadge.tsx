import { Badge, Loader, Tooltip } from '@mantine/core';
import type { StoreSummary } from '../../../src/api/client/client.ts';

/** One sentence per state, shown on hover (the status vocabulary of DESIGN.md and the API docs). */
const meaning: Record<string, string> = {
  Pending: 'Accepted; the operator has not started on it yet.',
  Provisioning: 'The operator is creating it, stage by stage.',
  Ready: 'Every stage is done and its workloads are ready.',
  Degraded: 'It was ready; some of its workloads are not ready now.',
  Failed: 'The last attempt failed; the operator tries again by itself.',
  Stalled: 'It failed and will not try again until the cause is fixed and you retry.',
  Deleting: 'Everything it owned is being removed.',
};
export const phaseColors: Record<string, string> = {
  Pending: 'gray',
  Provisioning: 'blue',
  Ready: 'teal',
  Degraded: 'orange',
  Failed: 'red',
  Stalled: 'red',
  Deleting: 'grape',
};

export function phaseLabel(store: Pick<StoreSummary, 'phase' | 'stalled' | 'stage'>): string {
  if (store.stalled && store.phase !== 'Deleting') return 'Stalled';
  return store.phase;
}

export function PhaseBadge({ store }: { store: Pick<StoreSummary, 'phase' | 'stalled' | 'stage'> }) {
  const label = phaseLabel(store);
  const busy = label === 'Provisioning' || label === 'Deleting' || label === 'Pending';
  const text = label === 'Provisioning' && store.stage ? `Provisioning · ${store.stage}` : label;
  return (
    <Tooltip label={meaning[label]} multiline maw={260}>
      <Badge
        color={phaseColors[label]}
        variant="light"
        leftSection={busy ? <Loader size={10} color={phaseColors[label]} aria-hidden /> : undefined}
        data-testid="phase-badge"
        data-phase={label}
        tabIndex={0}
        styles={{ label: { textTransform: 'none' } }}
      >
        {text}
      </Badge>
    </Tooltip>
  );
}
