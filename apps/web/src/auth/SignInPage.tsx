import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { authApi } from '../api/auth.ts';
import { isHttpError } from '../api/client.ts';
import type { LoginRequest } from '../api/types.ts';
import { ErrorAlert } from '../errors/ErrorAlert.tsx';
import { AuthShell } from './AuthShell.tsx';
import { useAuth } from './AuthProvider.tsx';
import { safeReturnTo } from './returnTo.ts';

interface Credentials {
  email: string;
  password: string;
}

/** Ticks every second until `until`, then stops; returns the seconds left. */
function useCountdown(until: number | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === undefined) return undefined;
    setNow(Date.now());
    const timer = window.setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= until) window.clearInterval(timer);
    }, 1_000);
    return () => window.clearInterval(timer);
  }, [until]);
  return until === undefined ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}

export function SignInPage() {
  const { token, signIn, endedReason } = useAuth();
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get('returnTo'));
  const navigate = useNavigate();
  const [credentials, setCredentials] = useState<Credentials | undefined>(undefined);
  const [lockedUntil, setLockedUntil] = useState<number | undefined>(undefined);
  const secondsLeft = useCountdown(lockedUntil);
  const locked = secondsLeft > 0;

  const login = useMutation({
    mutationFn: (request: LoginRequest) => authApi.login(request),
    meta: { inlineErrors: true },
    onSuccess: (response) => {
      signIn(response);
      void navigate(returnTo, { replace: true });
    },
    onError: (error, request) => {
      if (!isHttpError(error)) return;
      if (error.status === 401 && error.mfaRequired && request.totp === undefined) {
        setCredentials({ email: request.email, password: request.password });
        login.reset();
      }
      if (error.status === 429) {
        setLockedUntil(Date.now() + (error.retryAfterSeconds ?? 60) * 1000);
      }
    },
  });

  if (token !== null && !login.isPending) return <Navigate to={returnTo} replace />;

  const error = login.error;
  const lockMessage =
    lockedUntil === undefined ? undefined : (
      <Alert
        type="warning"
        showIcon
        role="alert"
        title="Too many failed sign-in attempts"
        description={
          locked
            ? `Signing in is locked for now. Try again in ${secondsLeft} s (at ${new Date(lockedUntil).toLocaleTimeString()}).`
            : 'You can try again now.'
        }
        style={{ marginBottom: 16 }}
      />
    );
  const errorMessage =
    error === null || (isHttpError(error) && error.status === 429) ? null : isHttpError(error) &&
      error.status === 401 ? (
      <Alert
        type="error"
        showIcon
        role="alert"
        title={error.problem.detail ?? 'Invalid email or password.'}
        style={{ marginBottom: 16 }}
      />
    ) : (
      <ErrorAlert error={error} />
    );

  if (credentials !== undefined) {
    return (
      <AuthShell title="Two-factor authentication">
        <Typography.Paragraph>
          Enter the 6-digit code from your authenticator app for {credentials.email}.
        </Typography.Paragraph>
        {lockMessage}
        {errorMessage}
        <Form
          name="totp"
          layout="vertical"
          requiredMark={false}
          onFinish={({ totp }: { totp: string }) =>
            login.mutate({ ...credentials, totp: totp.trim() })
          }
        >
          <Form.Item
            name="totp"
            label="Authenticator code"
            extra="Lost your device? Enter one of your recovery codes instead."
            rules={[{ required: true, message: 'Enter the code' }]}
          >
            <Input autoComplete="one-time-code" inputMode="numeric" autoFocus maxLength={32} />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            block
            loading={login.isPending}
            disabled={locked}
          >
            Verify
          </Button>
          <Button
            type="link"
            block
            onClick={() => {
              setCredentials(undefined);
              login.reset();
            }}
          >
            Back
          </Button>
        </Form>
      </AuthShell>
    );
  }

  return (
    <AuthShell title="Sign in">
      {endedReason === 'expired' ? (
        <Alert
          type="info"
          showIcon
          title="Your session has ended. Sign in again to continue."
          style={{ marginBottom: 16 }}
        />
      ) : null}
      {lockMessage}
      {errorMessage}
      <Form
        name="signin"
        layout="vertical"
        requiredMark={false}
        onFinish={(values: Credentials) =>
          login.mutate({ email: values.email.trim(), password: values.password })
        }
      >
        <Form.Item
          name="email"
          label="Email"
          rules={[{ required: true, message: 'Enter your email address' }]}
        >
          <Input type="email" autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item
          name="password"
          label="Password"
          rules={[{ required: true, message: 'Enter your password' }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={login.isPending} disabled={locked}>
          Sign in
        </Button>
      </Form>
    </AuthShell>
  );
}
