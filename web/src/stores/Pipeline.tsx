import { Loader, Paper, SimpleGrid, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconCheck, IconClock, IconX } from '@tabler/icons-react';
import type { PipelineStep } from '../../../src/api/client/client.ts';
import { duration } from '../lib/time.ts';

const titles: Record<string, string> = {
  namespace: 'Namespace',
  guardrails: 'Guardrails',
  credentials: 'Credentials',
  release: 'Release',
  workloads: 'Workloads',
  setup: 'Setup',
};
const explain: Record<string, string> = {
  namespace: 'Its own namespace',
  guardrails: 'Quota, limits, network policies, service account',
  credentials: 'Admin and database secrets',
  release: 'The engine’s Helm chart',
  workloads: 'Pods running and ready',
  setup: 'Products seeded, admin created',
};
const stateWords = { done: 'done', running: 'in progress', failed: 'failed', waiting: 'waiting' } as const;

function StateIcon({ state }: { state: PipelineStep['state'] }) {
  if (state === 'running') return <Loader size={22} aria-hidden />;
  const [color, icon] =
    state === 'done'
      ? ['teal', <IconCheck size={16} key="i" />]
      : state === 'failed'
        ? ['red', <IconX size={16} key="i" />]
        : ['gray', <IconClock size={16} key="i" />];
  return (
    <ThemeIcon
      color={color}
      radius="xl"
      size={22}
      variant={state === 'waiting' ? 'light' : 'filled'}
      aria-hidden
    >
      {icon}
    </ThemeIcon>
  );
}

/** The provisioning pipeline like a build's: each stage with its state, its duration and, when it failed, why. */
export function Pipeline({ steps }: { steps: PipelineStep[] }) {
  return (
    <SimpleGrid
      cols={{ base: 2, sm: 3, lg: 6 }}
      spacing="xs"
      component="ol"
      style={{ listStyle: 'none', padding: 0, margin: 0 }}
      aria-label="Provisioning pipeline"
    >
      {steps.map((s) => (
        <Paper
          key={s.stage}
          component="li"
          withBorder
          p="sm"
          data-testid={`stage-${s.stage}`}
          data-state={s.state}
          style={s.state === 'failed' ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}
        >
          <Stack gap={4}>
            <StateIcon state={s.state} />
            <Text fw={600} size="sm">
              {titles[s.stage] ?? s.stage}
            </Text>
            <Text size="xs">
              {stateWords[s.state]}
              {s.seconds !== undefined && ` · ${duration(s.seconds)}`}
            </Text>
            <Text size="xs" c="dimmed">
              {explain[s.stage]}
            </Text>
            {s.state === 'failed' && s.message && (
              <Text size="xs" c="red" lineClamp={4} title={s.message}>
                {s.message}
              </Text>
            )}
          </Stack>
        </Paper>
      ))}
    </SimpleGrid>
  );
}
