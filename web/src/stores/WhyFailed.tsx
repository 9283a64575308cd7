import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { StoreDetail } from '../../../src/api/client/client.ts';
import { api, call } from '../api/http.ts';
import { RelTime } from '../lib/Time.tsx';
import { storeKey, upsertStore } from './data.ts';

/** Why the store failed, at the top of its page: the reason, Kubernetes' own message, the fix, and Retry. */
export function WhyFailed({ store }: { store: StoreDetail }) {
  const qc = useQueryClient();
  const retry = useMutation({
    mutationFn: () =>
      call(api.POST('/api/v1/stores/{name}/retry', { params: { path: { name: store.name } } })),
    onSuccess: (s) => {
      upsertStore(qc, s);
      void qc.invalidateQueries({ queryKey: storeKey(store.name) });
    },
  });
  const f = store.lastFailure;
  if (!f) return null;
  return (
    <Alert
      color="red"
      variant="light"
      title={store.stalled ? 'Stalled: why it failed' : 'Why it failed'}
      data-testid="why-failed"
    >
      <Stack gap="xs">
        <Text size="sm">
          <Code data-testid="failure-reason">{f.reason}</Code> <RelTime iso={f.since} />
          {store.failures ? ` · ${store.failures} failed ${store.failures === 1 ? 'try' : 'tries'}` : ''}
        </Text>
        <Text
          size="sm"
          style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
          data-testid="failure-message"
        >
          {f.message}
        </Text>
        <Text size="sm" fw={600}>
          What to do
        </Text>
        <Text size="sm" data-testid="failure-fix">
          {f.fix}
        </Text>
        <Text size="sm">
          {store.stalled
            ? 'The operator will not try again by itself: fix the cause, then retry.'
            : 'The operator tries again by itself; Retry starts a new attempt now.'}
        </Text>
        <Group>
          <Button color="red" onClick={() => retry.mutate()} loading={retry.isPending}>
            Retry
          </Button>
          {retry.isSuccess && (
            <Text size="sm" role="status">
              Retry requested: a new attempt starts now.
            </Text>
          )}
          {retry.error && (
            <Text size="sm" c="red" role="alert">
              {retry.error.message}
            </Text>
          )}
        </Group>
      </Stack>
    </Alert>
  );
}
