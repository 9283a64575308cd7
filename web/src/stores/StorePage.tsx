import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { StoreDetail } from '../../../src/api/client/client.ts';
import { api, ApiFailure, call } from '../api/http.ts';
import { usePlatform } from '../api/platform.ts';
import { useSignedIn } from '../api/session.tsx';
import { duration } from '../lib/time.ts';
import { RelTime } from '../lib/Time.tsx';
import { Credentials } from './Credentials.tsx';
import { useStore } from './data.ts';
import { DeleteStore } from './DeleteStore.tsx';
import { EngineMark } from './EngineMark.tsx';
import { PhaseBadge } from './PhaseBadge.tsx';
import { Pipeline } from './Pipeline.tsx';
import { WhyFailed } from './WhyFailed.tsx';

/** One store: its pipeline, why it failed, its activity, Kubernetes events and releases, its login, delete. */
export function StorePage() {
  const { name = '' } = useParams();
  const store = useStore(name);
  if (store.isPending) return <Loader aria-label="Loading the store" />;
  if (store.error) {
    const gone = store.error instanceof ApiFailure && store.error.status === 404;
    return (
      <Stack align="flex-start" data-testid={gone ? 'store-gone' : 'store-error'}>
        <Title order={1} size="h2">
          {name}
        </Title>
        <Alert color={gone ? 'gray' : 'red'} variant="light" role={gone ? 'status' : 'alert'}>
          {gone
            ? 'There is no such store (any more). A deleted store is gone with everything it owned.'
            : store.error.message}
        </Alert>
        <Button component={Link} to="/">
          Back to your stores
        </Button>
      </Stack>
    );
  }
  return <StoreView store={store.data} updatedAt={store.dataUpdatedAt} />;
}

function StoreView({ store, updatedAt }: { store: StoreDetail; updatedAt: number }) {
  const me = useSignedIn();
  const deleting = store.phase === 'Deleting';
  const cluster = usePlatform().data?.cluster;
  // On the simulated cluster only a real node runs anything, and only MedusaJS stores there.
  const unserved = cluster?.kind === 'simulated' && !(cluster.realNode && store.engine === 'medusa');
  return (
    <Stack>
      <Anchor component={Link} to="/" size="sm">
        ← Stores
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={1} size="h2" data-testid="store-title">
              {store.displayName}
            </Title>
            <PhaseBadge store={store} />
          </Group>
          <Group gap="md">
            <Text size="sm" ff="monospace">
              {store.name}
            </Text>
            <EngineMark engine={store.engine} />
            <Badge variant="outline" color="gray" styles={{ label: { textTransform: 'none' } }}>
              plan {store.plan}
            </Badge>
            {store.version && <Text size="sm">version {store.version}</Text>}
            {me.user.username !== store.owner && <Text size="sm">owner {store.owner}</Text>}
          </Group>
          <Text size="sm">
            Created <RelTime iso={store.createdAt} />
            {store.provisioningSeconds !== undefined && (
              <> · Ready after {duration(store.provisioningSeconds)}</>
            )}
          </Text>
        </Stack>
        <Group>
          {store.url && !deleting && (
            <Button component="a" href={store.url} target="_blank" rel="noreferrer" variant="light">
              Storefront
            </Button>
          )}
          {store.adminUrl && !deleting && (
            <Button component="a" href={store.adminUrl} target="_blank" rel="noreferrer" variant="light">
              Admin
            </Button>
          )}
          <DeleteStore name={store.name} deleting={deleting} />
        </Group>
      </Group>

      {!deleting && store.url && unserved && (
        <Text size="sm" c="dimmed" data-testid="links-not-served">
          These links answer on a real cluster: on the simulated cluster this store’s pods do not run.
        </Text>
      )}
      {deleting && (
        <Alert color="grape" variant="light" role="status" data-testid="deleting-note">
          Deleting: everything the store owned is being removed. It disappears from your stores when its
          namespace is gone.
        </Alert>
      )}
      {!deleting && (store.phase === 'Failed' || store.stalled) && <WhyFailed store={store} />}
      {!deleting && store.reconciling && store.phase !== 'Failed' && (
        <Text size="sm" data-testid="working-on">
          Working on it: {store.reconciling.message}
        </Text>
      )}

      <Title order={2} size="h4">
        Provisioning
      </Title>
      <Pipeline steps={store.pipeline} />

      {!deleting && <Credentials name={store.name} />}

      <Tabs defaultValue="activity" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="activity">Activity</Tabs.Tab>
          <Tabs.Tab value="events">Kubernetes events</Tabs.Tab>
          <Tabs.Tab value="releases">Releases</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="activity" pt="sm">
          <Activity store={store} />
        </Tabs.Panel>
        <Tabs.Panel value="events" pt="sm">
          <Events name={store.name} updatedAt={updatedAt} />
        </Tabs.Panel>
        <Tabs.Panel value="releases" pt="sm">
          <Releases store={store} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function Activity({ store }: { store: StoreDetail }) {
  if (!store.activity.length) return <Text size="sm">Nothing yet.</Text>;
  return (
    <Paper withBorder>
      <Stack
        gap={0}
        component="ol"
        style={{ listStyle: 'none', padding: 0, margin: 0 }}
        data-testid="activity"
      >
        {store.activity.map((a, i) => (
          // Wraps on a phone: the message takes a line of its own rather than a sliver beside the badge.
          <Group key={`${a.time}-${i}`} component="li" gap="sm" p="xs" wrap="wrap" align="flex-start">
            <Text size="xs" w={110} style={{ flexShrink: 0 }}>
              <RelTime iso={a.time} />
            </Text>
            <Badge
              color={a.type === 'Warning' ? 'orange' : 'gray'}
              variant="light"
              style={{ flexShrink: 0 }}
              styles={{ label: { textTransform: 'none' } }}
            >
              {a.reason}
            </Badge>
            <Text size="sm" style={{ overflowWrap: 'anywhere', flex: '1 1 260px' }}>
              {a.message}
            </Text>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

function Events({ name, updatedAt }: { name: string; updatedAt: number }) {
  const events = useQuery({
    queryKey: ['store-events', name, updatedAt],
    queryFn: () => call(api.GET('/api/v1/stores/{name}/events', { params: { path: { name } } })),
    placeholderData: (previous) => previous,
    refetchInterval: 15_000,
  });
  if (events.isPending) return <Loader size="sm" aria-label="Loading events" />;
  if (events.error) return <Text c="red">{events.error.message}</Text>;
  if (!events.data.events.length)
    return <Text size="sm">No Kubernetes events for this store (they expire after an hour).</Text>;
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table data-testid="events-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>Reason</Table.Th>
            <Table.Th>Object</Table.Th>
            <Table.Th>Message</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.data.events.map((e, i) => (
            <Table.Tr key={`${e.time}-${e.object}-${e.reason}-${i}`}>
              <Table.Td>
                <RelTime iso={e.time} />
              </Table.Td>
              <Table.Td>{e.type}</Table.Td>
              <Table.Td>
                {e.reason}
                {e.count > 1 && ` ×${e.count}`}
              </Table.Td>
              <Table.Td ff="monospace">{e.object}</Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{e.message}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Releases({ store }: { store: StoreDetail }) {
  if (!store.history.length) return <Text size="sm">No release yet.</Text>;
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table data-testid="releases-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Revision</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Chart</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>When</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {store.history.map((h) => (
            <Table.Tr key={h.revision}>
              <Table.Td>{h.revision}</Table.Td>
              <Table.Td>{h.action}</Table.Td>
              <Table.Td>{h.chartVersion}</Table.Td>
              <Table.Td>{h.status}</Table.Td>
              <Table.Td>
                <RelTime iso={h.time} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
