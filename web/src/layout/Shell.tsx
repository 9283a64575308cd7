import { AppShell, Badge, Burger, Button, Group, Loader, NavLink, Stack, Text, Tooltip } from '@mantine/core';
import { Suspense } from 'react';
import { useDisclosure } from '@mantine/hooks';
import { IconBuildingStore, IconChartBar, IconKey, IconListDetails, IconUsers } from '@tabler/icons-react';
import { Link, Outlet, useLocation } from 'react-router';
import { useSession, useSignedIn } from '../api/session.tsx';
import { StoreStreamProvider } from '../stores/stream.tsx';
import { useStreamStatus } from '../stores/stream-status.ts';
import { Brand } from './Brand.tsx';
import { ClusterBanner } from './ClusterBanner.tsx';

/** The signed-in frame: navigation (admin pages for admins only), who is signed in, the live status. */
export function Shell() {
  const [opened, { toggle, close }] = useDisclosure();
  const session = useSignedIn();
  const { signOut } = useSession();
  const { pathname } = useLocation();
  const admin = session.user.role === 'admin';
  const link = (to: string, label: string, icon: React.ReactNode, exact = false) => (
    <NavLink
      component={Link}
      to={to}
      label={label}
      leftSection={icon}
      active={exact ? pathname === to : pathname.startsWith(to)}
      onClick={close}
    />
  );
  return (
    <StoreStreamProvider>
      <AppShell
        header={{ height: 56 }}
        navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
        padding="md"
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Navigation" />
              <Brand />
            </Group>
            <Group gap="sm" wrap="nowrap">
              <LiveStatus />
              <Text size="sm" visibleFrom="xs" data-testid="signed-in-user">
                {session.user.username}
              </Text>
              <Button variant="default" size="xs" onClick={() => void signOut()}>
                Sign out
              </Button>
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" aria-label="Main">
          <Stack gap={2}>
            {link('/', 'Stores', <IconBuildingStore size={18} aria-hidden />, true)}
            {link('/account', 'API tokens', <IconKey size={18} aria-hidden />)}
            {admin && (
              <>
                <Text size="xs" c="dimmed" fw={600} mt="md" px="sm">
                  Administration
                </Text>
                {link('/admin/overview', 'Overview', <IconChartBar size={18} aria-hidden />)}
                {link('/admin/users', 'Users', <IconUsers size={18} aria-hidden />)}
                {link('/admin/audit', 'Audit log', <IconListDetails size={18} aria-hidden />)}
              </>
            )}
          </Stack>
        </AppShell.Navbar>
        <AppShell.Main>
          <ClusterBanner />
          <Suspense fallback={<Loader aria-label="Loading the page" />}>
            <Outlet />
          </Suspense>
        </AppShell.Main>
      </AppShell>
    </StoreStreamProvider>
  );
}

function LiveStatus() {
  const status = useStreamStatus();
  const [color, label, tip] =
    status === 'live'
      ? ['teal', 'Live', 'Changes arrive as they happen.']
      : status === 'connecting'
        ? ['gray', 'Connecting…', 'Opening the live connection.']
        : [
            'orange',
            'Reconnecting…',
            'The live connection is down: the page refreshes every 5 seconds until it is back.',
          ];
  return (
    <Tooltip label={tip}>
      <Badge
        color={color}
        variant="dot"
        role="status"
        data-testid="live-status"
        data-status={status}
        styles={{ label: { textTransform: 'none' } }}
      >
        {label}
      </Badge>
    </Tooltip>
  );
}
