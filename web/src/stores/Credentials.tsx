import {
  ActionIcon,
  Button,
  CopyButton,
  Group,
  Modal,
  Paper,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../api/http.ts';

function Copy({ value, what }: { value: string; what: string }) {
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'Copied' : `Copy ${what}`}>
          <ActionIcon variant="subtle" onClick={copy} aria-label={`Copy ${what}`}>
            {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

/**
 * The store admin's login, revealed on request after a confirmation (each reveal is audited).
 * It lives in this component's state only: leaving the page forgets it.
 */
export function Credentials({ name }: { name: string }) {
  const [confirming, setConfirming] = useState(false);
  const reveal = useMutation({
    mutationFn: () =>
      call(api.POST('/api/v1/stores/{name}/credentials/reveal', { params: { path: { name } } })),
    onSettled: () => setConfirming(false),
    gcTime: 0,
  });
  const creds = reveal.data;
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Text fw={600}>Admin login</Text>
        {!creds && (
          <Group>
            <Button variant="default" onClick={() => setConfirming(true)}>
              Reveal admin login
            </Button>
            {reveal.error && (
              <Text size="sm" c="red" role="alert">
                {reveal.error.message}
              </Text>
            )}
          </Group>
        )}
        {creds && (
          <Stack gap="xs" data-testid="credentials">
            <Group gap="xs" align="flex-end" wrap="nowrap">
              <TextInput
                label="User"
                value={creds.username}
                readOnly
                style={{ flex: 1 }}
                data-testid="credentials-user"
              />
              <Copy value={creds.username} what="user" />
            </Group>
            <Group gap="xs" align="flex-end" wrap="nowrap">
              <TextInput
                label="Password"
                value={creds.password}
                readOnly
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                style={{ flex: 1 }}
                data-testid="credentials-password"
              />
              <Copy value={creds.password} what="password" />
            </Group>
            <Group>
              {creds.adminUrl && (
                <Button component="a" href={creds.adminUrl} target="_blank" rel="noreferrer" size="xs">
                  Open the admin
                </Button>
              )}
              <Button variant="default" size="xs" onClick={() => reveal.reset()}>
                Hide
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Reveal the admin login?">
        <Stack>
          <Text size="sm">
            The store admin’s user name and password will show on this page until you leave it. Each reveal is
            recorded in the audit log.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button onClick={() => reveal.mutate()} loading={reveal.isPending}>
              Reveal
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
