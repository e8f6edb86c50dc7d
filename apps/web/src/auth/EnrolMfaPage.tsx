import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button } from 'antd';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { AuthShell } from './AuthShell.tsx';
import { ME_KEY, useAuth } from './AuthProvider.tsx';
import { safeReturnTo } from './returnTo.ts';
import { TotpEnrolment } from './TotpEnrolment.tsx';

/** TOTP enrolment: required by policy (403 `enrol_mfa`) or chosen from the account page. */
export function EnrolMfaPage() {
  const { me, signOut } = useAuth();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get('returnTo'));
  const required = me?.mfa.required === true && me.mfa.enrolled !== true;

  if (me?.passwordChangeRequired === true) {
    return (
      <Navigate to={`/account/password?returnTo=${encodeURIComponent('/account/mfa')}`} replace />
    );
  }

  return (
    <AuthShell
      title="Two-factor authentication"
      width={560}
      actions={
        <Button type="text" onClick={() => void signOut()}>
          Sign out
        </Button>
      }
    >
      {required ? (
        <Alert
          type="info"
          showIcon
          title="Your role requires two-factor authentication"
          description="Set up an authenticator app to continue."
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <TotpEnrolment
        onDone={() => {
          void queryClient
            .invalidateQueries({ queryKey: ME_KEY })
            .then(() => navigate(required ? returnTo : '/account', { replace: true }));
        }}
      />
      {required ? null : (
        <div style={{ marginTop: 16 }}>
          <Link to="/account">Back to your account</Link>
        </div>
      )}
    </AuthShell>
  );
}
