import { Flex, Layout, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { AccessDenied, ErrorView } from '../errors/ErrorViews.tsx';
import type { CanAccess } from './access.ts';
import { AuthShell } from './AuthShell.tsx';
import { useAuth } from './AuthProvider.tsx';
import { withReturnTo } from './returnTo.ts';

/** The application's frame in grey while the session is checked: nothing jumps when it appears. */
function ShellSkeleton() {
  return (
    <Layout style={{ minHeight: '100vh' }} aria-busy="true" aria-label="Loading your account">
      <Layout.Sider theme="light">
        <div style={{ padding: 16 }}>
          <Skeleton active title={false} paragraph={{ rows: 6 }} />
        </div>
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: 'transparent' }} />
        <Layout.Content style={{ padding: 24 }}>
          <Flex vertical gap={16}>
            <Skeleton active />
            <Skeleton active />
          </Flex>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

/** Signed in, and we know who it is; otherwise to the sign-in page, coming back here afterwards. */
export function RequireSession() {
  const { token, me, meQuery } = useAuth();
  const location = useLocation();
  if (token === null) return <Navigate to={withReturnTo('/login', location)} replace />;
  if (me === undefined) {
    if (meQuery.isError) {
      return (
        <AuthShell title="Signing in">
          <ErrorView error={meQuery.error} onRetry={() => void meQuery.refetch()} />
        </AuthShell>
      );
    }
    return <ShellSkeleton />;
  }
  return <Outlet />;
}

/** A temporary password or a required second factor must be dealt with first. */
export function RequireCompleteAccount() {
  const { me } = useAuth();
  const location = useLocation();
  if (me?.passwordChangeRequired === true)
    return <Navigate to={withReturnTo('/account/password', location)} replace />;
  if (me?.mfa.required === true && !me.mfa.enrolled)
    return <Navigate to={withReturnTo('/account/mfa', location)} replace />;
  return <Outlet />;
}

/** A screen the person's permissions do not open shows "access denied" (the server refuses anyway). */
export function RequireAccess({
  allow,
  children,
}: {
  allow: (canAccess: CanAccess) => boolean;
  children: ReactNode;
}) {
  const { canAccess } = useAuth();
  return allow(canAccess) ? children : <AccessDenied />;
}
