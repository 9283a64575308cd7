import { Alert, Button, Code, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../api/http.ts';
import { storeKey, upsertStore } from './data.ts';

/** Delete, after the user types the store's name; the store then shows Deleting until it is gone. */
export function DeleteStore({ name, deleting }: { name: string; deleting: boolean }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const remove = useMutation({
    mutationFn: () => call(api.DELETE('/api/v1/stores/{name}', { params: { path: { name } } })),
    onSuccess: (s) => {
      upsertStore(qc, s);
      void qc.invalidateQueries({ queryKey: storeKey(name) });
      setOpen(false);
    },
  });
  return (
    <>
      <Button color="red" variant="outline" onClick={() => setOpen(true)} disabled={deleting}>
        {deleting ? 'Deleting…' : 'Delete store'}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Delete this store?">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (typed === name) remove.mutate();
          }}
        >
          <Stack>
            <Text size="sm">
              This removes the store and everything it owns: its namespace, database, volumes, products and
              orders. It cannot be undone.
            </Text>
            <TextInput
              label={
                <>
                  Type <Code>{name}</Code> to confirm
                </>
              }
              value={typed}
              onChange={(e) => setTyped(e.currentTarget.value)}
              autoComplete="off"
              data-testid="delete-confirm-input"
            />
            {remove.error && (
              <Alert color="red" variant="light" role="alert">
                {remove.error.message}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" color="red" disabled={typed !== name} loading={remove.isPending}>
                Delete store
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
