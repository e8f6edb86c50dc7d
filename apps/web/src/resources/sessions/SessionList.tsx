import { PageHeader } from '@backoffice/ui';
import { SessionsTable } from '../../components/SessionsTable.tsx';
import { ErrorView } from '../../errors/ErrorViews.tsx';
import { useStaffSessions } from '../staff/queries.ts';
import { useRevokeSession } from './useRevokeSession.tsx';

/** Every live staff session, to end one that should not be there. */
export function SessionList() {
  const sessions = useStaffSessions();
  const [revoke, dialog] = useRevokeSession();
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
          onRevoke={revoke}
        />
      )}
      {dialog}
    </>
  );
}
