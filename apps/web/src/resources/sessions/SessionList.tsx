import { PageHeader, useConfirm, useToast } from '@backoffice/ui';
import { useQueryClient } from '@tanstack/react-query';
import { staffApi } from '../../api/access.ts';
import { SessionsTable } from '../../components/SessionsTable.tsx';
import { ErrorView } from '../../errors/ErrorViews.tsx';
import { useStaffSessions } from '../staff/queries.ts';

/** Every live staff session, to end one that should not be there. */
export function SessionList() {
  const sessions = useStaffSessions();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [confirm, dialog] = useConfirm();
  return (
    <>
      <PageHeader title="Sessions" subtitle="Everyone signed in to the backoffice right now." />
      {sessions.isError ? (
        <ErrorView error={sessions.error} onRetry={() => void sessions.refetch()} />
      ) : (
        <SessionsTable
          label="Live staff sessions"
          showOwner
          sessions={sessions.data?.data}
          loading={sessions.isFetching}
          onRevoke={(session) =>
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
              await queryClient.invalidateQueries({ queryKey: ['sessions'] });
            })
          }
        />
      )}
      {dialog}
    </>
  );
}
