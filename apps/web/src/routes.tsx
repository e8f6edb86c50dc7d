import { Navigate, Outlet, type RouteObject } from 'react-router';
import { AuthProvider, useAuth } from './auth/AuthProvider.tsx';
import { ChangePasswordPage } from './auth/ChangePasswordPage.tsx';
import { ClientBridge } from './auth/ClientBridge.tsx';
import { EnrolMfaPage } from './auth/EnrolMfaPage.tsx';
import { RequireAccess, RequireCompleteAccount, RequireSession } from './auth/Gates.tsx';
import { SignInPage } from './auth/SignInPage.tsx';
import { StepUpProvider } from './auth/StepUp.tsx';
import { NotFound } from './errors/ErrorViews.tsx';
import { AppLayout } from './layout/AppLayout.tsx';
import { AccountPage } from './resources/account/AccountPage.tsx';
import { resources } from './resources/index.ts';

/** The session's providers live inside the router, so that they can navigate. */
function Root() {
  return (
    <AuthProvider>
      <StepUpProvider>
        <ClientBridge />
        <Outlet />
      </StepUpProvider>
    </AuthProvider>
  );
}

/** `/` opens the first screen the person may use. */
function Home() {
  const { canAccess } = useAuth();
  const first = resources.find((r) => r.inMenu !== false && r.access(canAccess));
  return <Navigate to={first?.path ?? '/account'} replace />;
}

export const routes: RouteObject[] = [
  {
    element: <Root />,
    children: [
      { path: '/login', element: <SignInPage /> },
      {
        element: <RequireSession />,
        children: [
          { path: '/account/password', element: <ChangePasswordPage /> },
          { path: '/account/mfa', element: <EnrolMfaPage /> },
          {
            element: <RequireCompleteAccount />,
            children: [
              {
                element: <AppLayout />,
                children: [
                  { index: true, element: <Home /> },
                  ...resources.map((resource): RouteObject => ({
                    path: resource.path,
                    element: (
                      <RequireAccess allow={resource.access}>
                        <Outlet />
                      </RequireAccess>
                    ),
                    children: resource.routes,
                  })),
                  { path: '/account', element: <AccountPage /> },
                  { path: '*', element: <NotFound /> },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
];
