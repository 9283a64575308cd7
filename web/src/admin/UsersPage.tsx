import {
  Alert,
  Button,
  Checkbox,
  Group,
  Loader,
  Modal,
  NativeSelect,
  NumberInput,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconUserPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { CreatedUser, UpdateUserRequest, UserView } from '../../../src/api/client/client.ts';
import { api, call } from '../api/http.ts';
import { useSignedIn } from '../api/session.tsx';
import { RelTime } from '../lib/Time.tsx';
import { FailureAlert, fieldError, Muted, ScrollTable, ShownOnce, StatusBadge } from './ui.tsx';

type Role = UserView['role'];
const roles = [
  { value: 'member', label: 'Member' },
  { value: 'admin', label: 'Admin' },
];
const usersKey = ['users'] as const;
const closeProps = { 'aria-label': 'Close' };

/** What a store limit means: a number, or the platform default (with its value when known). */
function limitWords(limit: number | null, platformDefault: number | undefined): string {
  if (limit !== null) return String(limit);
  return platformDefault === undefined ? 'Platform default' : `Default (${platformDefault})`;
}

/** Admins: every user, with their role and state; create users, disable or enable them, set their limits. */
export function UsersPage() {
  const session = useSignedIn();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: usersKey, queryFn: () => call(api.GET('/api/v1/users')) });
  // The session's limit is the platform default when the admin has no limit of their own.
  const platformDefault = session.user.storeLimit === null ? session.limits.storeLimit : undefined;

  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<UserView>();
  const [disabling, setDisabling] = useState<UserView>();
  const [notice, setNotice] = useState<string>();

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: usersKey });
    void queryClient.invalidateQueries({ queryKey: ['audit'] });
  };
  const setDisabled = useMutation({
    mutationFn: ({ username, disabled }: { username: string; disabled: boolean }) =>
      call(api.PATCH('/api/v1/users/{username}', { params: { path: { username } }, body: { disabled } })),
    onSuccess: (user) => {
      setDisabling(undefined);
      setNotice(
        user.disabled
          ? `${user.username} is disabled: their sessions have ended and their API tokens no longer work.`
          : `${user.username} is enabled again.`,
      );
      refresh();
    },
  });

  const list = users.data?.users;
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="center">
        <Title order={1}>Users</Title>
        <Button
          leftSection={<IconUserPlus size={18} aria-hidden />}
          onClick={() => {
            setNotice(undefined);
            setCreating(true);
          }}
        >
          New user
        </Button>
      </Group>

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
      {/* A failed enable (a failed disable is shown in its dialog). */}
      {!disabling && <FailureAlert error={setDisabled.error} />}

      {users.isPending && (
        <Group gap="sm" role="status">
          <Loader size="sm" aria-hidden />
          <Text>Loading the users…</Text>
        </Group>
      )}
      <FailureAlert error={users.error} title={list ? 'The list could not be refreshed' : undefined} />

      {list && list.length === 0 && <Text>There are no users yet.</Text>}
      {list && list.length > 0 && (
        <ScrollTable label="Users" minWidth={720} testId="users-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">User name</Table.Th>
              <Table.Th scope="col">Role</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col">Store limit</Table.Th>
              <Table.Th scope="col">Created</Table.Th>
              <Table.Th scope="col" ta="right">
                Actions
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((u) => {
              const self = u.username === session.user.username;
              const busy = setDisabled.isPending && setDisabled.variables.username === u.username;
              return (
                <Table.Tr key={u.username} data-testid={`user-row-${u.username}`} data-disabled={u.disabled}>
                  <Table.Th scope="row" fw={600}>
                    {u.username}
                    {self && (
                      <Text span size="sm" fw={400}>
                        {' '}
                        (you)
                      </Text>
                    )}
                  </Table.Th>
                  <Table.Td>
                    <StatusBadge color={u.role === 'admin' ? 'grape' : 'gray'} testId="user-role">
                      {u.role === 'admin' ? 'Admin' : 'Member'}
                    </StatusBadge>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge color={u.disabled ? 'red' : 'teal'} testId="user-status">
                      {u.disabled ? 'Disabled' : 'Active'}
                    </StatusBadge>
                  </Table.Td>
                  <Table.Td data-testid="user-store-limit">
                    {limitWords(u.storeLimit, platformDefault)}
                  </Table.Td>
                  <Table.Td>
                    <RelTime iso={u.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap" justify="flex-end">
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={`Edit ${u.username}`}
                        onClick={() => {
                          setNotice(undefined);
                          setEditing(u);
                        }}
                      >
                        Edit
                      </Button>
                      {u.disabled ? (
                        <Button
                          size="xs"
                          variant="default"
                          aria-label={`Enable ${u.username}`}
                          loading={busy}
                          onClick={() => {
                            setNotice(undefined);
                            setDisabled.mutate({ username: u.username, disabled: false });
                          }}
                        >
                          Enable
                        </Button>
                      ) : (
                        <Button
                          size="xs"
                          variant="light"
                          color="red"
                          aria-label={`Disable ${u.username}`}
                          disabled={self}
                          title={self ? 'You cannot disable yourself; ask another admin.' : undefined}
                          onClick={() => {
                            setNotice(undefined);
                            setDisabled.reset();
                            setDisabling(u);
                          }}
                        >
                          Disable
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </ScrollTable>
      )}

      <CreateUserModal
        opened={creating}
        platformDefault={platformDefault}
        onClose={() => setCreating(false)}
        onCreated={(user) => {
          refresh();
          if (!user.password) setNotice(`${user.username} is created.`);
        }}
      />

      {editing && (
        <EditUserModal
          key={editing.username}
          user={editing}
          self={editing.username === session.user.username}
          platformDefault={platformDefault}
          onClose={() => setEditing(undefined)}
          onSaved={(user) => {
            setEditing(undefined);
            if (user) setNotice(`${user.username} is updated.`);
            refresh();
          }}
        />
      )}

      <Modal
        opened={disabling !== undefined}
        onClose={() => setDisabling(undefined)}
        title={disabling ? `Disable ${disabling.username}?` : 'Disable'}
        closeButtonProps={closeProps}
      >
        {disabling && (
          <Stack>
            <Text>
              {disabling.username} is signed out at once and cannot sign in or use their API tokens until you
              enable them again. Their stores keep running.
            </Text>
            <FailureAlert error={setDisabled.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDisabling(undefined)}>
                Cancel
              </Button>
              <Button
                color="red"
                loading={setDisabled.isPending}
                onClick={() => setDisabled.mutate({ username: disabling.username, disabled: true })}
              >
                Disable {disabling.username}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

function CreateUserModal({
  opened,
  platformDefault,
  onClose,
  onCreated,
}: {
  opened: boolean;
  platformDefault: number | undefined;
  onClose: () => void;
  onCreated: (user: CreatedUser) => void;
}) {
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [password, setPassword] = useState('');
  const [storeLimit, setStoreLimit] = useState<number | string>('');
  const create = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/users', {
          body: {
            username: username.trim(),
            role,
            ...(password ? { password } : {}),
            ...(typeof storeLimit === 'number' ? { storeLimit } : {}),
          },
        }),
      ),
    onSuccess: (user) => {
      onCreated(user);
      if (!user.password) close();
    },
  });
  const created = create.data?.password ? create.data : undefined;

  function close() {
    onClose();
    setUsername('');
    setRole('member');
    setPassword('');
    setStoreLimit('');
    create.reset();
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate();
  }

  return (
    <Modal opened={opened} onClose={close} title="New user" closeButtonProps={closeProps}>
      {created?.password ? (
        <Stack>
          <Text>{created.username} is created. Give them this password; they sign in with it.</Text>
          <ShownOnce
            label={`Password of ${created.username}`}
            value={created.password}
            testId="user-password"
            note="Copy it now: you will not see it again."
          />
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <FailureAlert error={create.error} fields={['username', 'role', 'password', 'storeLimit']} />
            <TextInput
              label="User name"
              description="Letters, digits, “.”, “_” and “-”."
              required
              autoComplete="off"
              data-autofocus
              maxLength={64}
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
              error={fieldError(create.error, 'username')}
            />
            <NativeSelect
              label="Role"
              data={roles}
              value={role}
              onChange={(e) => setRole(e.currentTarget.value as Role)}
              error={fieldError(create.error, 'role')}
            />
            <PasswordInput
              label="Password"
              description="At least 12 characters. Leave it empty to have one generated; it is shown once."
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={fieldError(create.error, 'password')}
            />
            <NumberInput
              label="Store limit"
              description={`Leave it empty for the platform default${platformDefault === undefined ? '' : ` (${platformDefault})`}.`}
              min={0}
              max={10_000}
              allowDecimal={false}
              allowNegative={false}
              value={storeLimit}
              onChange={setStoreLimit}
              error={fieldError(create.error, 'storeLimit')}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending} disabled={!username.trim()}>
                Create user
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function EditUserModal({
  user,
  self,
  platformDefault,
  onClose,
  onSaved,
}: {
  user: UserView;
  self: boolean;
  platformDefault: number | undefined;
  onClose: () => void;
  onSaved: (user: UserView | undefined) => void;
}) {
  const [role, setRole] = useState<Role>(user.role);
  const [useDefault, setUseDefault] = useState(user.storeLimit === null);
  const [storeLimit, setStoreLimit] = useState<number | string>(user.storeLimit ?? platformDefault ?? '');
  const [problem, setProblem] = useState<string>();
  const save = useMutation({
    mutationFn: (body: UpdateUserRequest) =>
      call(api.PATCH('/api/v1/users/{username}', { params: { path: { username: user.username } }, body })),
    onSuccess: onSaved,
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(undefined);
    const body: UpdateUserRequest = {};
    if (role !== user.role) body.role = role;
    if (useDefault) {
      if (user.storeLimit !== null) body.storeLimit = null;
    } else if (typeof storeLimit !== 'number') {
      setProblem('Enter a store limit, or use the platform default.');
      return;
    } else if (storeLimit !== user.storeLimit) {
      body.storeLimit = storeLimit;
    }
    if (Object.keys(body).length === 0) onSaved(undefined);
    else save.mutate(body);
  }

  return (
    <Modal opened onClose={onClose} title={`Edit ${user.username}`} closeButtonProps={closeProps}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FailureAlert error={save.error} fields={['role', 'storeLimit']} />
          <NativeSelect
            label="Role"
            data={roles}
            value={role}
            disabled={self}
            description={self ? 'You cannot change your own role; ask another admin.' : undefined}
            onChange={(e) => setRole(e.currentTarget.value as Role)}
            error={fieldError(save.error, 'role')}
          />
          <Checkbox
            label={`Use the platform default${platformDefault === undefined ? '' : ` (${platformDefault} stores)`}`}
            checked={useDefault}
            onChange={(e) => {
              setUseDefault(e.currentTarget.checked);
              setProblem(undefined);
            }}
          />
          <NumberInput
            label="Store limit"
            description="How many stores this user may own at once."
            min={0}
            max={10_000}
            allowDecimal={false}
            allowNegative={false}
            disabled={useDefault}
            value={storeLimit}
            onChange={(v) => {
              setStoreLimit(v);
              setProblem(undefined);
            }}
            error={problem ?? fieldError(save.error, 'storeLimit')}
          />
          <Muted>
            Lowering the limit below the stores they own now removes none of them; they cannot create more
            until they are under it.
          </Muted>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
