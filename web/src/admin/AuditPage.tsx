import {
  Button,
  Group,
  Loader,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconChevronLeft, IconChevronRight, IconFilter } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { AuditEntry, AuditQuery } from '../../../src/api/client/client.ts';
import { api, call } from '../api/http.ts';
import { RelTime } from '../lib/Time.tsx';
import { FailureAlert, fieldError, Muted, ScrollTable, StatusBadge } from './ui.tsx';

const pageSize = 50;
const filterNames = ['actor', 'action', 'outcome', 'target', 'since', 'until'] as const;
type FilterName = (typeof filterNames)[number];
type Filters = Partial<Record<FilterName, string>>;

/** The actions the API names (others are recorded as "METHOD /route"). */
const knownActions = [
  'session.login',
  'session.logout',
  'token.create',
  'token.revoke',
  'user.create',
  'user.update',
  'store.create',
  'store.delete',
  'store.retry',
  'store.credentials.reveal',
];
const outcomes = [
  { value: '', label: 'Any' },
  { value: 'success', label: 'Success' },
  { value: 'refused', label: 'Refused' },
  { value: 'failure', label: 'Failure' },
];
const outcomeColors: Record<AuditEntry['outcome'], string> = {
  success: 'teal',
  refused: 'orange',
  failure: 'red',
};

/** An ISO time as the value of a datetime-local input (local time, to the minute). */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
/** A datetime-local value (local time) as ISO, or undefined when empty or not a time. */
function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function readFilters(params: URLSearchParams): Filters {
  const f: Filters = {};
  for (const name of filterNames) {
    const v = params.get(name)?.trim();
    if (v) f[name] = v;
  }
  return f;
}

function draftOf(filters: Filters): Record<FilterName, string> {
  return {
    actor: filters.actor ?? '',
    action: filters.action ?? '',
    outcome: filters.outcome ?? '',
    target: filters.target ?? '',
    since: toLocalInput(filters.since),
    until: toLocalInput(filters.until),
  };
}

function detailsWords(details: AuditEntry['details']): string {
  if (!details) return '';
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

/** Admins: who did what, newest first, with filters; "Older" pages back with `before`. */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const filterKey = JSON.stringify(filters);
  const filtering = Object.keys(filters).length > 0;

  // The `before` cursor of each page seen so far (the first is the newest page: no cursor);
  // a change of filters starts over.
  const [paging, setPaging] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key: filterKey,
    cursors: [undefined],
  });
  const cursors = paging.key === filterKey ? paging.cursors : [undefined];
  const before = cursors[cursors.length - 1];

  const audit = useQuery({
    queryKey: ['audit', filters, before],
    queryFn: () => {
      const query: AuditQuery = { ...filters, limit: String(pageSize) } as AuditQuery;
      if (before) query.before = before;
      return call(api.GET('/api/v1/audit', { params: { query } }));
    },
    placeholderData: keepPreviousData,
  });
  const entries = audit.data?.entries;
  const next = audit.data?.next;

  // The form shows the filters in force until edited; when they change otherwise (back, a link),
  // it follows them.
  const [draft, setDraft] = useState(() => draftOf(filters));
  const [draftFor, setDraftFor] = useState(filterKey);
  if (draftFor !== filterKey) {
    setDraftFor(filterKey);
    setDraft(draftOf(filters));
  }
  const set = (name: FilterName) => (value: string) => setDraft((d) => ({ ...d, [name]: value }));

  function apply(e: FormEvent) {
    e.preventDefault();
    const p = new URLSearchParams();
    for (const name of ['actor', 'action', 'outcome', 'target'] as const) {
      const v = draft[name].trim();
      if (v) p.set(name, v);
    }
    for (const name of ['since', 'until'] as const) {
      const iso = fromLocalInput(draft[name]);
      if (iso) p.set(name, iso);
    }
    setParams(p);
    setPaging({ key: JSON.stringify(readFilters(p)), cursors: [undefined] });
  }
  function clear() {
    setDraft({ actor: '', action: '', outcome: '', target: '', since: '', until: '' });
    setParams(new URLSearchParams());
    setPaging({ key: JSON.stringify({}), cursors: [undefined] });
  }

  const page = cursors.length;
  const older = () => {
    if (next) setPaging({ key: filterKey, cursors: [...cursors, next] });
  };
  const newer = () => {
    if (page > 1) setPaging({ key: filterKey, cursors: cursors.slice(0, -1) });
  };

  const error = audit.error;
  return (
    <Stack gap="lg">
      <Title order={1}>Audit log</Title>

      <Paper withBorder p="md" component="form" onSubmit={apply} aria-label="Filters" noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
            <TextInput
              label="Actor"
              placeholder="User name"
              value={draft.actor}
              onChange={(e) => set('actor')(e.currentTarget.value)}
              error={fieldError(error, 'actor')}
            />
            <TextInput
              label="Action"
              placeholder="e.g. store.create"
              list="audit-actions"
              value={draft.action}
              onChange={(e) => set('action')(e.currentTarget.value)}
              error={fieldError(error, 'action')}
            />
            <NativeSelect
              label="Outcome"
              data={outcomes}
              value={draft.outcome}
              onChange={(e) => set('outcome')(e.currentTarget.value)}
              error={fieldError(error, 'outcome')}
            />
            <TextInput
              label="Target"
              placeholder="e.g. store:shop or user:alice"
              value={draft.target}
              onChange={(e) => set('target')(e.currentTarget.value)}
              error={fieldError(error, 'target')}
            />
            <TextInput
              label="Since"
              type="datetime-local"
              value={draft.since}
              onChange={(e) => set('since')(e.currentTarget.value)}
              error={fieldError(error, 'since')}
            />
            <TextInput
              label="Until"
              type="datetime-local"
              value={draft.until}
              onChange={(e) => set('until')(e.currentTarget.value)}
              error={fieldError(error, 'until')}
            />
          </SimpleGrid>
          <datalist id="audit-actions">
            {knownActions.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
          <Group gap="sm">
            <Button type="submit" leftSection={<IconFilter size={16} aria-hidden />}>
              Apply filters
            </Button>
            <Button
              variant="default"
              onClick={clear}
              disabled={!filtering && !Object.values(draft).some(Boolean)}
            >
              Clear
            </Button>
          </Group>
        </Stack>
      </Paper>

      <FailureAlert error={error} fields={filterNames} />

      {audit.isPending && (
        <Group gap="sm" role="status">
          <Loader size="sm" aria-hidden />
          <Text>Loading the audit log…</Text>
        </Group>
      )}

      {entries && entries.length === 0 && (
        <Text data-testid="audit-empty">
          {page > 1
            ? 'There are no older entries.'
            : filtering
              ? 'No entries match these filters.'
              : 'The audit log is empty.'}
        </Text>
      )}

      {entries && entries.length > 0 && (
        <ScrollTable label="Audit log entries" minWidth={960} testId="audit-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Time</Table.Th>
              <Table.Th scope="col">Action</Table.Th>
              <Table.Th scope="col">Actor</Table.Th>
              <Table.Th scope="col">Target</Table.Th>
              <Table.Th scope="col">Outcome</Table.Th>
              <Table.Th scope="col">Details</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody style={{ opacity: audit.isPlaceholderData ? 0.6 : 1 }}>
            {entries.map((e) => (
              <Table.Tr key={e.id} data-testid="audit-row" data-id={e.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }} data-testid="audit-time">
                  <RelTime iso={e.time} />
                </Table.Td>
                <Table.Td data-testid="audit-action">
                  <Text size="sm" ff="monospace">
                    {e.action}
                  </Text>
                </Table.Td>
                <Table.Td data-testid="audit-actor">{e.actor ?? <Muted>anonymous</Muted>}</Table.Td>
                <Table.Td data-testid="audit-target" style={{ overflowWrap: 'anywhere' }}>
                  {e.target ?? '—'}
                </Table.Td>
                <Table.Td data-testid="audit-outcome">
                  <StatusBadge color={outcomeColors[e.outcome]}>{e.outcome}</StatusBadge>
                </Table.Td>
                <Table.Td maw={360}>
                  {e.details && Object.keys(e.details).length > 0 && (
                    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {detailsWords(e.details)}
                    </Text>
                  )}
                  <Text size="xs" c="dimmed">
                    HTTP {e.status}
                    {e.ip ? ` · ${e.ip}` : ''}
                    {e.requestId ? ` · request ${e.requestId}` : ''}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      )}

      {(page > 1 || next) && (
        <Group justify="space-between" gap="sm">
          <Button
            variant="default"
            leftSection={<IconChevronLeft size={16} aria-hidden />}
            disabled={page <= 1 || audit.isFetching}
            onClick={newer}
          >
            Newer
          </Button>
          <Text size="sm" aria-live="polite">
            Page {page}
          </Text>
          <Button
            variant="default"
            rightSection={<IconChevronRight size={16} aria-hidden />}
            disabled={!next || audit.isFetching}
            loading={audit.isFetching && audit.isPlaceholderData}
            onClick={older}
          >
            Older
          </Button>
        </Group>
      )}
    </Stack>
  );
}
