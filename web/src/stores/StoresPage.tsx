import {
  Alert,
  Anchor,
  Button,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { StoreSummary } from '../../../src/api/client/client.ts';
import { useSignedIn } from '../api/session.tsx';
import { duration } from '../lib/time.ts';
import { RelTime } from '../lib/Time.tsx';
import { CreateStoreDialog } from './CreateStoreDialog.tsx';
import { useStores } from './data.ts';
import { EngineMark } from './EngineMark.tsx';
import { PhaseBadge, phaseLabel } from './PhaseBadge.tsx';
import { useStreamStatus } from './stream-status.ts';

const phaseFilters = ['Pending', 'Provisioning', 'Ready', 'Degraded', 'Failed', 'Stalled', 'Deleting'];

/** The home page: every store of the caller, live, with search and filters. */
export function StoresPage() {
  const stores = useStores();
  const stream = useStreamStatus();
  // Admins see every store: whose it is goes in a column of its own.
  const admin = useSignedIn().user.role === 'admin';
  const [creating, setCreating] = useState(false);
  const [search, setSearch] = useState('');
  const [phase, setPhase] = useState<string | null>(null);
  const [engine, setEngine] = useState<string | null>(null);

  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (stores.data ?? []).filter(
      (s) =>
        (!q || s.name.includes(q) || s.displayName.toLowerCase().includes(q)) &&
        (!phase || phaseLabel(s) === phase) &&
        (!engine || s.engine === engine),
    );
  }, [stores.data, search, phase, engine]);

  const none = stores.data?.length === 0;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Stores
        </Title>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
          Create store
        </Button>
      </Group>
      {stream === 'offline' && (
        <Alert color="orange" variant="light" role="status" data-testid="stream-offline">
          The live connection to the platform is down. This list refreshes every 5 seconds until it is back.
        </Alert>
      )}
      {stores.error && (
        <Alert color="red" variant="light" role="alert">
          {stores.error.message}
        </Alert>
      )}
      {stores.isPending && <Loader aria-label="Loading stores" />}
      {none && <EmptyState onCreate={() => setCreating(true)} />}
      {!!stores.data?.length && (
        <>
          <Group align="flex-end" gap="sm">
            <TextInput
              label="Search"
              placeholder="Name or display name"
              leftSection={<IconSearch size={14} aria-hidden />}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              w={{ base: '100%', xs: 240 }}
            />
            <Select
              label="Phase"
              placeholder="Any"
              data={phaseFilters}
              value={phase}
              onChange={setPhase}
              clearable
              w={{ base: '47%', xs: 170 }}
            />
            <Select
              label="Engine"
              placeholder="Any"
              data={[
                { value: 'woocommerce', label: 'WooCommerce' },
                { value: 'medusa', label: 'MedusaJS' },
              ]}
              value={engine}
              onChange={setEngine}
              clearable
              w={{ base: '47%', xs: 170 }}
            />
          </Group>
          <StoreTable stores={shown} showOwner={admin} />
          {shown.length === 0 && <Text c="dimmed">No store matches these filters.</Text>}
        </>
      )}
      <CreateStoreDialog opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}

function StoreTable({ stores, showOwner }: { stores: StoreSummary[]; showOwner: boolean }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table verticalSpacing="sm" highlightOnHover data-testid="stores-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Store</Table.Th>
            {showOwner && <Table.Th>Owner</Table.Th>}
            <Table.Th>Engine</Table.Th>
            <Table.Th>Plan</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Links</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Time to Ready</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {stores.map((s) => (
            <Table.Tr key={s.name} data-testid="store-row" data-store={s.name}>
              <Table.Td>
                <Anchor component={Link} to={`/stores/${s.name}`} fw={600}>
                  {s.displayName}
                </Anchor>
                <Text size="xs" c="dimmed" ff="monospace">
                  {s.name}
                </Text>
              </Table.Td>
              {showOwner && <Table.Td>{s.owner}</Table.Td>}
              <Table.Td>
                <EngineMark engine={s.engine} />
              </Table.Td>
              <Table.Td>{s.plan}</Table.Td>
              <Table.Td>
                <PhaseBadge store={s} />
                {(s.phase === 'Failed' || s.stalled) && s.lastFailure && (
                  <Text size="xs" c="red" mt={4} maw={260} lineClamp={2}>
                    {s.lastFailure.reason}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {s.url && s.phase !== 'Deleting' ? (
                  <Stack gap={0}>
                    <Anchor href={s.url} target="_blank" rel="noreferrer" size="sm" data-testid="store-url">
                      Storefront
                    </Anchor>
                    {s.adminUrl && (
                      <Anchor href={s.adminUrl} target="_blank" rel="noreferrer" size="sm">
                        Admin
                      </Anchor>
                    )}
                  </Stack>
                ) : (
                  <Text size="sm" c="dimmed">
                    —
                  </Text>
                )}
              </Table.Td>
              <Table.Td data-testid="store-created">
                <RelTime iso={s.createdAt} />
              </Table.Td>
              <Table.Td>
                {s.provisioningSeconds !== undefined ? duration(s.provisioningSeconds) : '—'}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function EmptyState({ onCreate }: { onCreate: () => void }) {
  return (
    <Paper withBorder p="xl" data-testid="empty-state">
      <Stack align="flex-start" maw={560}>
        <Title order={2} size="h3">
          No stores yet
        </Title>
        <Text>
          A store is a complete shop in its own Kubernetes namespace: a storefront, an admin, a database and
          seeded products, ready to take an order. Pick WooCommerce or MedusaJS; the platform creates it step
          by step and shows each step here as it happens.
        </Text>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={onCreate}>
          Create store
        </Button>
      </Stack>
    </Paper>
  );
}
