import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { CreateStoreRequest, StoreSummary } from '../../../src/api/client/client.ts';
import { storeNameFrom, storeNameRefusal } from '../../../src/store/naming.ts';
import { api, ApiFailure, call } from '../api/http.ts';
import { useSignedIn } from '../api/session.tsx';
import { usePlatform } from '../api/platform.ts';
import { upsertStore, useStores } from './data.ts';
import { EngineMark } from './EngineMark.tsx';

type Engine = CreateStoreRequest['engine'];
type Plan = NonNullable<CreateStoreRequest['plan']>;

/** A refusal of the API, placed next to the field it concerns. */
interface Refusal {
  field: 'displayName' | 'name' | 'form';
  message: string;
}

export function refusalOf(err: unknown): Refusal {
  if (!(err instanceof ApiFailure)) return { field: 'form', message: 'Creating the store failed.' };
  const field = err.field === 'name' || err.field === 'displayName' ? err.field : 'form';
  return { field, message: err.message };
}

const capitalized = (s: string) => `${s[0]!.toUpperCase()}${s.slice(1)}.`;

/**
 * Create a store: display name, a name derived from it (editable, checked as it is typed: its
 * format here, its availability by the API), the engine and the plan. The new store goes into
 * the list at once as Pending. "Create another" keeps the dialog open with the same engine and plan.
 */
export function CreateStoreDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const platform = usePlatform();
  const room = useStoreRoom(opened);
  const [displayName, setDisplayName] = useState('');
  const [name, setName] = useState('');
  const [nameEdited, setNameEdited] = useState(false);
  const [engine, setEngine] = useState<Engine>('medusa');
  const [plan, setPlan] = useState<Plan>('small');
  const [another, setAnother] = useState(false);
  const [refusal, setRefusal] = useState<Refusal>();
  const [created, setCreated] = useState<StoreSummary>();
  const idempotencyKey = useRef(crypto.randomUUID());
  const displayInput = useRef<HTMLInputElement>(null);

  const effectiveName = nameEdited ? name : (storeNameFrom(displayName) ?? '');
  const localProblem = effectiveName ? storeNameRefusal(effectiveName) : undefined;
  const [debouncedName] = useDebouncedValue(effectiveName, 250);
  const availability = useQuery({
    queryKey: ['store-name', debouncedName],
    queryFn: () => call(api.GET('/api/v1/store-names/{name}', { params: { path: { name: debouncedName } } })),
    enabled: opened && !!debouncedName && !storeNameRefusal(debouncedName),
    staleTime: 2_000,
  });
  const taken =
    availability.data && availability.data.name === effectiveName && !availability.data.available
      ? availability.data.problem
      : undefined;

  useEffect(() => setRefusal(undefined), [displayName, name, engine, plan]);

  const create = useMutation({
    mutationFn: (body: CreateStoreRequest) =>
      call(
        api.POST('/api/v1/stores', {
          body,
          params: { header: { 'idempotency-key': idempotencyKey.current } },
        }),
      ),
    onSuccess: (store) => {
      upsertStore(qc, store);
      void qc.invalidateQueries({ queryKey: ['store-name'] });
      idempotencyKey.current = crypto.randomUUID();
      setCreated(store);
      setDisplayName('');
      setName('');
      setNameEdited(false);
      if (another) displayInput.current?.focus();
      else onClose();
    },
    onError: (err) => {
      setRefusal(refusalOf(err));
      // A refusal is final for this body; the next try is a new request.
      idempotencyKey.current = crypto.randomUUID();
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    setCreated(undefined);
    create.mutate({ displayName: displayName.trim(), engine, plan, ...(nameEdited ? { name } : {}) });
  }

  const nameError =
    (refusal?.field === 'name' && refusal.message) ||
    (localProblem && capitalized(localProblem)) ||
    taken ||
    (!effectiveName && displayName.trim() && !nameEdited
      ? 'No name can be made from this display name: type one.'
      : undefined);
  const plans = platform.data?.plans ?? [];
  const engines = platform.data?.engines ?? [];

  return (
    <Modal opened={opened} onClose={onClose} title="Create store" size="lg" fullScreen={false}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {room && room.owned >= room.limit && (
            <Alert color="orange" variant="light" role="status" data-testid="at-limit-note">
              You own {room.owned} {room.owned === 1 ? 'store' : 'stores'}, your limit: a new one is refused
              until you delete one or an admin raises your limit.
            </Alert>
          )}
          {created && (
            <Alert color="teal" variant="light" role="status" data-testid="created-note">
              Created “{created.displayName}” ({created.name}). It is in the list as Pending.
            </Alert>
          )}
          <TextInput
            ref={displayInput}
            label="Display name"
            description="What people see: any text."
            required
            maxLength={80}
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            error={refusal?.field === 'displayName' ? refusal.message : undefined}
            data-autofocus
          />
          <TextInput
            label="Name"
            description="3 to 30 lower-case letters, digits and “-”; the store’s address and namespace. Cannot be changed later."
            required
            maxLength={30}
            value={effectiveName}
            onChange={(e) => {
              setNameEdited(true);
              setName(e.currentTarget.value);
            }}
            error={nameError || undefined}
            rightSection={
              effectiveName &&
              !nameError &&
              availability.data?.available &&
              availability.data.name === effectiveName ? (
                <Text size="xs" c="teal" aria-hidden>
                  ✓
                </Text>
              ) : undefined
            }
            data-testid="store-name-input"
          />
          {effectiveName &&
            !nameError &&
            availability.data?.available &&
            availability.data.name === effectiveName && (
              <Text size="xs" c="teal.8" role="status">
                “{effectiveName}” is available.
              </Text>
            )}
          <Radio.Group label="Engine" required value={engine} onChange={(v) => setEngine(v as Engine)}>
            <SimpleGrid cols={{ base: 1, xs: 2 }} mt="xs">
              {engines.map((e) => (
                <Radio.Card key={e.engine} value={e.engine} p="sm" radius="md" aria-label={e.title}>
                  <Group wrap="nowrap" align="flex-start">
                    <Radio.Indicator />
                    <Stack gap={4}>
                      <EngineMark engine={e.engine as Engine} />
                      <Text size="xs">{e.description}</Text>
                    </Stack>
                  </Group>
                </Radio.Card>
              ))}
            </SimpleGrid>
          </Radio.Group>
          <Radio.Group
            label="Plan"
            description="What the store’s namespace may use at most."
            value={plan}
            onChange={(v) => setPlan(v as Plan)}
          >
            <SimpleGrid cols={{ base: 1, xs: 3 }} mt="xs">
              {plans.map((p) => (
                <Radio.Card
                  key={p.plan}
                  value={p.plan}
                  p="sm"
                  radius="md"
                  aria-label={`${p.plan}: ${p.cpu} CPU, ${p.memory} memory, ${p.storage} storage`}
                >
                  <Group wrap="nowrap" align="flex-start">
                    <Radio.Indicator />
                    <Stack gap={0}>
                      <Text fw={600} tt="capitalize">
                        {p.plan}
                      </Text>
                      <Text size="xs">
                        {p.cpu} CPU · {p.memory} memory · {p.storage} storage
                      </Text>
                    </Stack>
                  </Group>
                </Radio.Card>
              ))}
            </SimpleGrid>
          </Radio.Group>
          {refusal?.field === 'form' && (
            <Alert color="red" variant="light" role="alert" data-testid="create-refusal">
              {refusal.message}
            </Alert>
          )}
          <Group justify="space-between">
            <Checkbox
              label="Create another"
              checked={another}
              onChange={(e) => setAnother(e.currentTarget.checked)}
            />
            <Group>
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button
                type="submit"
                loading={create.isPending}
                disabled={!displayName.trim() || !!localProblem || !effectiveName}
              >
                Create store
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** How many stores the caller owns and may own, to say so before a create is refused. */
function useStoreRoom(opened: boolean): { owned: number; limit: number } | undefined {
  const me = useSignedIn().user.username;
  const stores = useStores();
  const limits = useQuery({
    queryKey: ['limits'],
    queryFn: () => call(api.GET('/api/v1/limits')),
    enabled: opened,
    staleTime: 60_000,
  });
  if (!stores.data || !limits.data) return undefined;
  return { owned: stores.data.filter((s) => s.owner === me).length, limit: limits.data.storeLimit };
}
