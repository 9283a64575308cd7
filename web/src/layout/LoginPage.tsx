import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { ApiFailure } from '../api/http.ts';
import { useSession } from '../api/session.tsx';
import { Brand } from './Brand.tsx';

export function LoginPage() {
  const { state, signIn } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const notice = state.status === 'signed-out' ? state.notice : undefined;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(username, password);
    } catch (err) {
      setError(err instanceof ApiFailure ? err.message : 'Signing in failed.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={400} component="main">
        <form onSubmit={submit} aria-labelledby="login-title">
          <Stack>
            <Brand />
            <Title order={1} size="h3" id="login-title">
              Sign in
            </Title>
            {notice && !error && (
              <Alert color="blue" variant="light" role="status">
                {notice}
              </Alert>
            )}
            {error && (
              <Alert color="red" variant="light" role="alert">
                {error}
              </Alert>
            )}
            <TextInput
              label="User name"
              autoComplete="username"
              required
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
              autoFocus
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button type="submit" loading={busy}>
              Sign in
            </Button>
            <Text size="xs" c="dimmed">
              First start: the user is “admin” and its password is in the file the platform printed
              (initial-admin-password in its data directory).
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
