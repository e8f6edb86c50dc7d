import { ConfirmDialog, type ConfirmValues } from '@backoffice/ui';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { createContext, useCallback, useContext, useRef, useState } from 'react';
import { authApi } from '../api/auth.ts';
import { ME_KEY } from './AuthProvider.tsx';

type StepUp = () => Promise<void>;

const StepUpContext = createContext<StepUp>(() => Promise.reject(new Error('no StepUpProvider')));

/**
 * Step-up: an action answered 403 `verify_mfa` asks for the authenticator code here; once verified the
 * data-access layer retries it. Cancelling fails the action with the original error.
 */
export function StepUpProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const pending = useRef<{ resolve: () => void; reject: (e: Error) => void } | undefined>(
    undefined,
  );

  const stepUp = useCallback<StepUp>(
    () =>
      new Promise<void>((resolve, reject) => {
        pending.current?.reject(new Error('superseded'));
        pending.current = { resolve, reject };
        setError(undefined);
        setOpen(true);
      }),
    [],
  );

  const onConfirm = ({ totp }: ConfirmValues) => {
    setBusy(true);
    authApi.verifyMfa(totp ?? '').then(
      () => {
        setBusy(false);
        setOpen(false);
        void queryClient.invalidateQueries({ queryKey: ME_KEY });
        pending.current?.resolve();
        pending.current = undefined;
      },
      (failure: unknown) => {
        setBusy(false);
        setError(failure);
      },
    );
  };

  return (
    <StepUpContext value={stepUp}>
      {children}
      <ConfirmDialog
        open={open}
        title="Confirm it’s you"
        consequences="This action needs a recent second factor. Enter the code from your authenticator app."
        confirmLabel="Verify"
        totp
        busy={busy}
        error={error}
        onConfirm={onConfirm}
        onCancel={() => {
          setOpen(false);
          pending.current?.reject(new Error('cancelled'));
          pending.current = undefined;
        }}
      />
    </StepUpContext>
  );
}

export function useStepUp(): StepUp {
  return useContext(StepUpContext);
}
