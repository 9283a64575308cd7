import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  Modal,
  Paper,
  Radio,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { CreatedToken, CreateTokenRequest, TokenView } from '../../../src/api/client/client.ts';
import { api, call } from '../api/http.ts';
import { useSignedIn } from '../api/session.tsx';
import { RelTime } from '../lib/Time.tsx';
import { useNow } from '../lib/useNow.ts';
import { FailureAlert, fieldError, Muted, ScrollTable, ShownOnce, StatusBadge } from '../admin/ui.tsx';

type Scope = CreateTokenRequest['scopes'][number];

const scopeChoices: { value: Scope; description: string; adminOnly?: boolean }[] = [
  { value: 'stores:read', description: 'List your stores and read their status and events.' },
  { value: 'stores:write', description: 'Create, retry and delete stores.' },
  { value: 'credentials:reveal', description: 'Reveal the admin credentials of stores.' },
  {
    value: 'admin',
    description: 'Act as an admin: users, the audit log and every store.',
    adminOnly: true,
  },
];
const expiryChoices = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '366', label: '366 days' },
  { value: 'never', label: 'Never' },
];
const tokensKey = ['tokens'] as const;

/** Your API tokens: create one (its value is shown once), see when each was used, revoke them. */
export function AccountPage() {
  const session = useSignedIn();
  const now = useNow();
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: tokensKey, queryFn: () => call(api.GET('/api/v1/tokens')) });

  const [created, setCreated] = useState<CreatedToken>();
  const [revoking, setRevoking] = useState<TokenView>();
  const [notice, setNotice] = useState<string>();
  // The value is shown once: take the reader (and a screen reader's focus) to it.
  const createdRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (created) createdRef.current?.focus();
  }, [created]);

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: tokensKey });
    void queryClient.invalidateQueries({ queryKey: ['audit'] });
  };
  const revoke = useMutation({
    mutationFn: (token: TokenView) =>
      call(api.DELETE('/api/v1/tokens/{id}', { params: { path: { id: token.id } } })),
    onSuccess: (_, token) => {
      setRevoking(undefined);
      setCreated((c) => (c?.id === token.id ? undefined : c));
      setNotice(`The token “${token.name}” is revoked.`);
      refresh();
    },
  });

  const list = tokens.data?.tokens;
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>API tokens</Title>
        <Text>
          Tokens let programs (scripts, CI jobs, curl) call the platform API as you, with the scopes you
          choose. Send one as <code>Authorization: Bearer &lt;token&gt;</code>.
        </Text>
      </Stack>

      {notice && (
        <Alert
          color="teal"
          variant="light"
          role="status"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => setNotice(undefined)}
        >
          {notice}
        </Alert>
      )}

      {created && (
        <Paper
          withBorder
          p="md"
          data-testid="token-created"
          ref={createdRef}
          tabIndex={-1}
          aria-labelledby="token-created-title"
        >
          <Stack gap="sm">
            <Title order={2} size="h4" id="token-created-title">
              Token “{created.name}” created
            </Title>
            <ShownOnce
              label="Its value"
              value={created.token}
              testId="token-value"
              note="Copy it now and keep it somewhere safe: you will not see it again. If it is lost, revoke it and create another."
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setCreated(undefined)}>
                Done
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}

      <CreateTokenForm
        admin={session.user.role === 'admin'}
        onCreated={(token) => {
          setNotice(undefined);
          setCreated(token);
          refresh();
        }}
      />

      <Stack gap="sm" component="section" aria-labelledby="tokens-title">
        <Title order={2} size="h4" id="tokens-title">
          Your tokens
        </Title>
        {tokens.isPending && (
          <Group gap="sm" role="status">
            <Loader size="sm" aria-hidden />
            <Text>Loading your tokens…</Text>
          </Group>
        )}
        <FailureAlert error={tokens.error} title={list ? 'The list could not be refreshed' : undefined} />
        {list && list.length === 0 && <Text data-testid="tokens-empty">You have no API tokens.</Text>}
        {list && list.length > 0 && (
          <ScrollTable label="Your API tokens" minWidth={760} testId="tokens-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Name</Table.Th>
                <Table.Th scope="col">Scopes</Table.Th>
                <Table.Th scope="col">Created</Table.Th>
                <Table.Th scope="col">Expires</Table.Th>
                <Table.Th scope="col">Last used</Table.Th>
                <Table.Th scope="col">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((t) => {
                const expired = t.expiresAt !== null && Date.parse(t.expiresAt) <= now;
                return (
                  <Table.Tr key={t.id} data-testid={`token-row-${t.id}`} data-name={t.name}>
                    <Table.Th scope="row" fw={600} style={{ overflowWrap: 'anywhere' }}>
                      {t.name}
                    </Table.Th>
                    <Table.Td>
                      <Group gap={4}>
                        {t.scopes.map((s) => (
                          <Badge
                            key={s}
                            variant="light"
                            color={s === 'admin' ? 'grape' : 'gray'}
                            styles={{ label: { textTransform: 'none' } }}
                          >
                            {s}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <RelTime iso={t.createdAt} />
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {expired ? (
                        <Group gap={6} wrap="nowrap">
                          <StatusBadge color="red">Expired</StatusBadge>
                          <RelTime iso={t.expiresAt} />
                        </Group>
                      ) : (
                        <RelTime iso={t.expiresAt} empty="Never" />
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <RelTime iso={t.lastUsedAt} empty="Never" />
                    </Table.Td>
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="light"
                        color="red"
                        aria-label={`Revoke ${t.name}`}
                        onClick={() => {
                          setNotice(undefined);
                          revoke.reset();
                          setRevoking(t);
                        }}
                      >
                        Revoke
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </ScrollTable>
        )}
      </Stack>

      <Modal
        opened={revoking !== undefined}
        onClose={() => setRevoking(undefined)}
        title={revoking ? `Revoke “${revoking.name}”?` : 'Revoke'}
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        {revoking && (
          <Stack>
            <Text>
              Programs that use this token are refused from now on. This cannot be undone: to give them access
              again, create a new token.
            </Text>
            <FailureAlert error={revoke.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRevoking(undefined)}>
                Cancel
              </Button>
              <Button color="red" loading={revoke.isPending} onClick={() => revoke.mutate(revoking)}>
                Revoke token
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

function CreateTokenForm({ admin, onCreated }: { admin: boolean; onCreated: (token: CreatedToken) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['stores:read']);
  const [expiry, setExpiry] = useState('30');
  const [problems, setProblems] = useState<{ name?: string; scopes?: string }>({});
  const create = useMutation({
    mutationFn: (body: CreateTokenRequest) => call(api.POST('/api/v1/tokens', { body })),
    onSuccess: (token) => {
      setName('');
      setScopes(['stores:read']);
      setExpiry('30');
      onCreated(token);
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const found = {
      ...(name.trim() ? {} : { name: 'Give the token a name.' }),
      ...(scopes.length ? {} : { scopes: 'Choose at least one scope.' }),
    };
    setProblems(found);
    if (found.name || found.scopes) return;
    create.mutate({
      name: name.trim(),
      scopes,
      expiresInDays: expiry === 'never' ? null : Number(expiry),
    });
  }

  const choices = scopeChoices.filter((c) => admin || !c.adminOnly);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="new-token-title">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Title order={2} size="h4" id="new-token-title">
            New token
          </Title>
          <FailureAlert error={create.error} fields={['name', 'scopes', 'expiresInDays']} />
          <TextInput
            label="Name"
            description="What it is for, e.g. “CI deploys”."
            required
            maxLength={64}
            autoComplete="off"
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              setProblems((p) => ({ ...p, name: undefined }));
            }}
            error={problems.name ?? fieldError(create.error, 'name')}
          />
          <Checkbox.Group
            label="Scopes"
            description="What the token may do; it can never do more than you can."
            required
            value={scopes}
            onChange={(v) => {
              setScopes(v as Scope[]);
              setProblems((p) => ({ ...p, scopes: undefined }));
            }}
            error={problems.scopes ?? fieldError(create.error, 'scopes')}
          >
            <Stack gap="xs" mt="xs">
              {choices.map((c) => (
                <Checkbox key={c.value} value={c.value} label={c.value} description={c.description} />
              ))}
            </Stack>
          </Checkbox.Group>
          <Radio.Group
            label="Expires after"
            value={expiry}
            onChange={setExpiry}
            error={fieldError(create.error, 'expiresInDays')}
          >
            <Group gap="md" mt="xs">
              {expiryChoices.map((c) => (
                <Radio key={c.value} value={c.value} label={c.label} />
              ))}
            </Group>
          </Radio.Group>
          {expiry === 'never' && (
            <Muted>
              A token that never expires works until you revoke it; prefer an expiry where you can.
            </Muted>
          )}
          <Group>
            <Button type="submit" leftSection={<IconKey size={16} aria-hidden />} loading={create.isPending}>
              Create token
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
