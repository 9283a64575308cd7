import { Alert, Code } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { usePlatform } from '../api/platform.ts';

/**
 * Honesty about where stores run: on the local simulated cluster a store becomes Ready without
 * any page being served (and with a real node, only MedusaJS stores run for real).
 */
export function ClusterBanner() {
  const { data } = usePlatform();
  if (data?.cluster.kind !== 'simulated') return null;
  return (
    <Alert
      color="yellow"
      variant="light"
      title="This is the local simulated cluster"
      role="note"
      mb="md"
      icon={<IconAlertTriangle aria-hidden />}
      // The yellow of a light alert's title is too faint to read: the title takes the text colour.
      styles={{ title: { color: 'var(--mantine-color-text)' } }}
    >
      {data.cluster.realNode
        ? 'MedusaJS stores run for real on this machine’s node. WooCommerce stores become Ready here without serving pages (no WooCommerce image can be built on this machine).'
        : 'Stores become Ready here without serving any page: their pods are simulated.'}{' '}
      To run shops that take orders, start the platform on kind, k3d or a real cluster (set a kube context,
      then <Code>./bin/storeplane start</Code>)
      {data.cluster.realNode
        ? '.'
        : ', or start it as root on Linux without --no-real-node: MedusaJS stores then run on a real node.'}
    </Alert>
  );
}
