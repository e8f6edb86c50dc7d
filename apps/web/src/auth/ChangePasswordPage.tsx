import { Alert, Button } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { AuthShell } from './AuthShell.tsx';
import { useAuth } from './AuthProvider.tsx';
import { ChangePasswordForm } from './ChangePasswordForm.tsx';
import { safeReturnTo } from './returnTo.ts';

/** Where a temporary password must be replaced before anything else (403 `change_password`). */
export function ChangePasswordPage() {
  const { me, signOut } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const returnTo = safeReturnTo(params.get('returnTo'));
  const forced = me?.passwordChangeRequired === true;
  return (
    <AuthShell
      title="Change your password"
      actions={
        <Button type="text" onClick={() => void signOut()}>
          Sign out
        </Button>
      }
    >
      {forced ? (
        <Alert
          type="info"
          showIcon
          title="Choose your own password"
          description="You signed in with a temporary password. Replace it to continue."
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <ChangePasswordForm
        currentLabel={forced ? 'Temporary password' : 'Current password'}
        onDone={() => void navigate(returnTo, { replace: true })}
      />
      {forced ? null : (
        <div style={{ marginTop: 16 }}>
          <Link to="/account">Back to your account</Link>
        </div>
      )}
    </AuthShell>
  );
}
