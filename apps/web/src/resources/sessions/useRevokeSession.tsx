import { useConfirm, useToast } from '@backoffice/ui';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { staffApi } from '../../api/access.ts';
import type { StaffSession } from '../../api/types.ts';
import { refreshAfterChange } from '../../query.ts';
import { staffKeys } from '../staff/queries.ts';

/**
 * Revoking a staff session, as every sessions table offers it: a confirmation with an optional
 * reason, then a notice and fresh lists. Render the returned dialog next to the table.
 */
export function useRevokeSession(): [(session: StaffSession) => void, ReactNode] {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [confirm, dialog] = useConfirm();
  const revoke = (session: StaffSession) =>
    void confirm({
      title: 'Revoke this session?',
      consequences: `${session.staffEmail} is signed out on that device at once.`,
      confirmLabel: 'Revoke session',
      danger: true,
      reason: 'optional',
      action: (v) => staffApi.revokeSession(session.id, v.reason),
    }).then(async (values) => {
      if (values === null) return;
      toast.success('Session revoked');
      await refreshAfterChange(queryClient, [staffKeys.sessions()]);
    });
  return [revoke, dialog];
}
