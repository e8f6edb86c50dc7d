import { useToast } from '@backoffice/ui';
import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { RouterProvider, type createBrowserRouter } from 'react-router';
import { createQueryClient } from './query.ts';
import { ThemeProvider } from './theme/ThemeProvider.tsx';

type Router = ReturnType<typeof createBrowserRouter>;

/**
 * The query client needs the theme-aware notifications, so it is made inside the theme. A load that
 * fails after the application has unmounted notifies nobody: Ant Design's notification holder went
 * with it (and warns "notice in render" when called).
 */
function DataLayer({ router }: { router: Router }) {
  const toast = useToast();
  const toastRef = useRef(toast);
  toastRef.current = toast;
  const mounted = useRef(false);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const [queryClient] = useState(() =>
    createQueryClient(() => (mounted.current ? toastRef.current : undefined)),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}

export function App({ router }: { router: Router }) {
  return (
    <ThemeProvider>
      <DataLayer router={router} />
    </ThemeProvider>
  );
}
