import '@mantine/core/styles.css';
import { Center, Loader, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { SessionProvider, useSession } from './api/session.tsx';
import { LoginPage } from './layout/LoginPage.tsx';
import { NotFound } from './layout/NotFound.tsx';
import { Shell } from './layout/Shell.tsx';
import { StorePage } from './stores/StorePage.tsx';
import { StoresPage } from './stores/StoresPage.tsx';
import { contrastVariables, theme } from './theme.ts';

// Pages most visits never open load on demand, keeping the first load small.
const AccountPage = lazy(() => import('./account/AccountPage.tsx').then((m) => ({ default: m.AccountPage })));
const AuditPage = lazy(() => import('./admin/AuditPage.tsx').then((m) => ({ default: m.AuditPage })));
const OverviewPage = lazy(() =>
  import('./admin/OverviewPage.tsx').then((m) => ({ default: m.OverviewPage })),
);
const UsersPage = lazy(() => import('./admin/UsersPage.tsx').then((m) => ({ default: m.UsersPage })));

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});

function App() {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading')
    return (
      <Center mih="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  if (state.status === 'signed-out') {
    if (location.pathname !== '/login')
      return <Navigate to="/login" replace state={{ from: location.pathname }} />;
    return <LoginPage />;
  }
  const admin = state.session.user.role === 'admin';
  const from = (location.state as { from?: string } | null)?.from;
  return (
    <Routes>
      <Route path="/login" element={<Navigate to={from && from !== '/login' ? from : '/'} replace />} />
      <Route element={<Shell />}>
        <Route index element={<StoresPage />} />
        <Route path="stores/:name" element={<StorePage />} />
        <Route path="account" element={<AccountPage />} />
        {admin && (
          <>
            <Route path="admin" element={<Navigate to="/admin/overview" replace />} />
            <Route path="admin/overview" element={<OverviewPage />} />
            <Route path="admin/users" element={<UsersPage />} />
            <Route path="admin/audit" element={<AuditPage />} />
          </>
        )}
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="auto" cssVariablesResolver={contrastVariables}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <SessionProvider>
            <App />
          </SessionProvider>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
