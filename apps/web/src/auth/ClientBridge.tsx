import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { configureClient } from '../api/client.ts';
import { ME_KEY, useAuth } from './AuthProvider.tsx';
import { withReturnTo } from './returnTo.ts';
import { useStepUp } from './StepUp.tsx';

/**
 * Connects the data-access layer's session-wide answers to the application: 401 ends the session
 * (the gates then send to sign-in and back), `enrol_mfa` / `change_password` open their page, and
 * `verify_mfa` asks for a code.
 */
export function ClientBridge() {
  const { sessionEnded } = useAuth();
  const stepUp = useStepUp();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const here = useRef(location);
  here.current = location;

  useEffect(() => {
    configureClient({
      unauthorized: () => sessionEnded(),
      requiredAction: (action) => {
        const page = action === 'enrol_mfa' ? '/account/mfa' : '/account/password';
        void queryClient.invalidateQueries({ queryKey: ME_KEY });
        if (here.current.pathname !== page) void navigate(withReturnTo(page, here.current));
      },
      stepUp: () => stepUp(),
    });
    return () => configureClient({});
  }, [sessionEnded, stepUp, navigate, queryClient]);

  return null;
}
