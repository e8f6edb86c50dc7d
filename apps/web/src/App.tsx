import { useToast } from '@backoffice/ui';
import { QueryClientProvider } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { RouterProvider, type createBrowserRouter } from 'react-router';
import { createQueryClient } from './query.ts';
import { ThemeProvider } from './theme/ThemeProvider.tsx';

type Router = ReturnType<typeof createBrowserRouter>;

/** The query client needs the theme-aware notifications, so it is made inside the theme. */
function DataLayer({ router }: { router: Router }) {
  const toast = useToast();
  const toastRef = useRef(toast);
  toastRef.current = toast;
  const [queryClient] = useState(() => createQueryClient(() => toastRef.current));
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
