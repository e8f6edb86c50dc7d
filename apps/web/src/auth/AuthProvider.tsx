import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { authApi } from '../api/auth.ts';
import { getToken, onTokenChange, setToken } from '../api/client.ts';
import type { LoginResponse, Me } from '../api/types.ts';
import { accessFrom, type CanAccess } from './access.ts';

export const ME_KEY = ['auth', 'me'] as const;
/** The signed-in person's own sessions. */
export const OWN_SESSIONS = ['auth', 'sessions'] as const;

export interface AuthContextValue {
  token: string | null;
  me: Me | undefined;
  /** The me query, for its loading and error states. */
  meQuery: ReturnType<typeof useMeQuery>;
  canAccess: CanAccess;
  /** Whether this instance runs a feature (its packs'): actions of features that do not run are not offered. */
  runs: (feature: string) => boolean;
  /** Why the person is on the sign-in page, when it was not their choice. */
  endedReason: 'expired' | undefined;
  signIn: (response: LoginResponse) => void;
  signOut: () => Promise<void>;
  /** The server said the session is over (401). */
  sessionEnded: () => void;
}

function useMeQuery(token: string | null) {
  return useQuery({
    queryKey: [...ME_KEY, token],
    queryFn: () => authApi.me(),
    enabled: token !== null,
    staleTime: 60_000,
    retry: false,
  });
}

const AuthContext = createContext<AuthContextValue | undefined>(undefined);

/** The session: the token (in localStorage, shared by tabs), who it belongs to, what they may do. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [token, setTokenState] = useState(getToken);
  const [endedReason, setEndedReason] = useState<'expired' | undefined>(undefined);
  const meQuery = useMeQuery(token);
  const me = token === null ? undefined : meQuery.data;

  useEffect(() => onTokenChange(() => setTokenState(getToken())), []);

  // Nothing of one person's session may show in the next one's.
  useEffect(() => {
    if (token === null) queryClient.removeQueries();
  }, [token, queryClient]);

  const signIn = useCallback((response: LoginResponse) => {
    setEndedReason(undefined);
    setToken(response.token);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await authApi.logout();
    } catch {
      // Signing out locally is what matters; the session expires on its own.
    }
    setEndedReason(undefined);
    setToken(null);
    // A plain sign-in page: whoever signs in next starts at their own start page.
    void navigate('/login', { replace: true });
  }, [navigate]);

  const sessionEnded = useCallback(() => {
    if (getToken() === null) return;
    setEndedReason('expired');
    setToken(null);
  }, []);

  const value = useMemo<AuthContextValue>(
    () => ({
      token,
      me,
      meQuery,
      canAccess: accessFrom(me?.user.permissions),
      runs: (feature: string) => me?.features.includes(feature) ?? false,
      endedReason,
      signIn,
      signOut,
      sessionEnded,
    }),
    [token, me, meQuery, endedReason, signIn, signOut, sessionEnded],
  );
  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (value === undefined) throw new Error('useAuth outside AuthProvider');
  return value;
}

/** `runs(feature)`: whether this instance runs that feature. */
export function useRuns(): (feature: string) => boolean {
  return useAuth().runs;
}

/** `canAccess(resource, action)`, for the signed-in person. */
export function useCanAccess(): CanAccess {
  return useAuth().canAccess;
}
