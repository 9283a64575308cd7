import {
  Anchor,
  Button,
  Card,
  Group,
  Loader,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { api, call } from '../api/http.ts';
import { usePlatform } from '../api/platform.ts';
import { duration } from '../lib/time.ts';
import { RelTime } from '../lib/Time.tsx';
import { phaseColors } from '../stores/PhaseBadge.tsx';
import { FailureAlert, Muted, StatusBadge } from './ui.tsx';

const phases = ['Pending', 'Provisioning', 'Ready', 'Degraded', 'Failed', 'Deleting'] as const;
const engineTitles: Record<string, string> = { woocommerce: 'WooCommerce', medusa: 'MedusaJS' };

/** Known keys first, in their order, then any others the API added. */
function ordered(known: readonly string[], counts: Record<string, number>): string[] {
  return [...known, ...Object.keys(counts).filter((k) => !known.includes(k))];
}

function StatCard({ title, testId, children }: { title: string; testId?: string; children: ReactNode }) {
  return (
    <Card withBorder padding="md" data-testid={testId}>
      <Stack gap="xs">
        <Title order={2} size="h5">
          {title}
        </Title>
        {children}
      </Stack>
    </Card>
  );
}

function Big({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <Text fz={28} fw={700} lh={1.2} data-testid={testId}>
      {children}
    </Text>
  );
}

/** The fleet at a glance for admins: phases, engines, the global cap, failures, provisioning times. */
export function OverviewPage() {
  const platform = usePlatform();
  const overview = useQuery({
    queryKey: ['overview'],
    queryFn: () => call(api.GET('/api/v1/overview')),
    refetchInterval: 30_000,
  });
  const o = overview.data;
  const engineTitle = (engine: string) =>
    platform.data?.engines.find((e) => e.engine === engine)?.title ?? engineTitles[engine] ?? engine;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="center">
        <Title order={1}>Overview</Title>
        <Group gap="sm">
          {overview.dataUpdatedAt > 0 && (
            <Muted>
              Updated <RelTime iso={new Date(overview.dataUpdatedAt).toISOString()} />
            </Muted>
          )}
          <Button
            variant="default"
            size="xs"
            leftSection={<IconRefresh size={16} aria-hidden />}
            loading={overview.isFetching}
            onClick={() => void overview.refetch()}
          >
            Refresh
          </Button>
        </Group>
      </Group>

      {overview.isPending && (
        <Group gap="sm" role="status">
          <Loader size="sm" aria-hidden />
          <Text>Loading the overview…</Text>
        </Group>
      )}
      {overview.isError && (
        <FailureAlert error={overview.error} title={o ? 'The overview could not be refreshed' : undefined} />
      )}

      {o && (
        <>
          <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }}>
            <StatCard title="Stores" testId="overview-stores">
              <Big>{o.stores}</Big>
              <Stack gap={2}>
                {ordered(Object.keys(engineTitles), o.byEngine).map((engine) => (
                  <Group
                    key={engine}
                    justify="space-between"
                    gap="xs"
                    data-testid={`overview-engine-${engine}`}
                  >
                    <Text size="sm">{engineTitle(engine)}</Text>
                    <Text size="sm" fw={600}>
                      {o.byEngine[engine] ?? 0}
                    </Text>
                  </Group>
                ))}
              </Stack>
            </StatCard>

            <CapCard used={o.cap.used} limit={o.cap.limit} />

            <StatCard title="Failures, last 24 h" testId="overview-failures">
              <Big>{o.failuresLast24h.stores}</Big>
              <Muted>{o.failuresLast24h.stores === 1 ? 'store failed' : 'stores failed'}</Muted>
              {Object.keys(o.failuresLast24h.byReason).length > 0 ? (
                <Stack
                  gap={2}
                  component="ul"
                  m={0}
                  p={0}
                  style={{ listStyle: 'none' }}
                  aria-label="By reason"
                >
                  {Object.entries(o.failuresLast24h.byReason)
                    .sort((a, b) => b[1] - a[1])
                    .map(([reason, count]) => (
                      <Group component="li" key={reason} justify="space-between" gap="xs" wrap="nowrap">
                        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                          {reason}
                        </Text>
                        <Text size="sm" fw={600}>
                          {count}
                        </Text>
                      </Group>
                    ))}
                </Stack>
              ) : (
                <Muted>No failures in the last 24 hours.</Muted>
              )}
            </StatCard>

            <StatCard title="Provisioning time" testId="overview-provisioning">
              <Group gap="lg" align="flex-start">
                <div>
                  <Muted>Median (p50)</Muted>
                  <Big testId="overview-p50">
                    {o.provisioning.p50Seconds === undefined ? '—' : duration(o.provisioning.p50Seconds)}
                  </Big>
                </div>
                <div>
                  <Muted>95th percentile</Muted>
                  <Big testId="overview-p95">
                    {o.provisioning.p95Seconds === undefined ? '—' : duration(o.provisioning.p95Seconds)}
                  </Big>
                </div>
              </Group>
              <Muted>
                {o.provisioning.count === 0
                  ? 'No store has reached Ready yet.'
                  : `From ${o.provisioning.count} ${o.provisioning.count === 1 ? 'store' : 'stores'} that reached Ready.`}
              </Muted>
            </StatCard>
          </SimpleGrid>

          <Stack gap="sm" component="section" aria-labelledby="overview-phases">
            <Title order={2} size="h4" id="overview-phases">
              Stores by phase
            </Title>
            <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
              {ordered(phases, o.byPhase).map((phase) => (
                <Paper key={phase} withBorder p="sm" data-testid={`overview-phase-${phase}`}>
                  <StatusBadge color={phaseColors[phase] ?? 'gray'}>{phase}</StatusBadge>
                  <Big>{o.byPhase[phase] ?? 0}</Big>
                </Paper>
              ))}
            </SimpleGrid>
          </Stack>

          <Stack gap="sm" component="section" aria-labelledby="overview-attention-title">
            <Title order={2} size="h4" id="overview-attention-title">
              Needs attention
            </Title>
            {o.needsAttention.length === 0 ? (
              <Text data-testid="overview-attention-empty">
                Nothing needs attention: no store is failed, degraded or stalled.
              </Text>
            ) : (
              <Stack
                gap="sm"
                component="ul"
                m={0}
                p={0}
                style={{ listStyle: 'none' }}
                data-testid="overview-attention"
              >
                {o.needsAttention.map((s) => (
                  <Paper component="li" key={s.name} withBorder p="sm" data-testid={`attention-${s.name}`}>
                    <Stack gap={4}>
                      <Group justify="space-between" gap="xs">
                        <Anchor component={Link} to={`/stores/${encodeURIComponent(s.name)}`} fw={600}>
                          {s.name}
                        </Anchor>
                        <StatusBadge color={phaseColors[s.phase] ?? 'gray'}>{s.phase}</StatusBadge>
                      </Group>
                      <Muted>Owner: {s.owner}</Muted>
                      {s.reason && <Text size="sm">{s.reason}</Text>}
                      {s.fix && (
                        <Text size="sm">
                          <Text span fw={600} size="sm">
                            What to do:
                          </Text>{' '}
                          {s.fix}
                        </Text>
                      )}
                    </Stack>
                  </Paper>
                ))}
              </Stack>
            )}
          </Stack>
        </>
      )}
    </Stack>
  );
}

function CapCard({ used, limit }: { used: number; limit: number }) {
  const share = limit > 0 ? Math.min(100, Math.round((used / limit) * 1000) / 10) : 100;
  const color = share >= 100 ? 'red' : share >= 90 ? 'orange' : 'blue';
  const left = Math.max(0, limit - used);
  return (
    <StatCard title="Global store cap" testId="overview-cap">
      <Big>
        {used} of {limit}
      </Big>
      <Progress
        value={share}
        color={color}
        size="lg"
        aria-label={`${used} of ${limit} stores of the global cap`}
      />
      <Text size="sm" c="dimmed">
        {left === 0 ? 'The cap is reached: no new store can be created.' : `${left} more can be created.`}
      </Text>
    </StatCard>
  );
}
