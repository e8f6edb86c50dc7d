import { useMutation } from '@tanstack/react-query';
import { Button, Collapse, Flex, Form, Input, QRCode, Typography } from 'antd';
import { authApi } from '../api/auth.ts';
import { ErrorAlert } from '../errors/ErrorAlert.tsx';
import { RecoveryCodes } from './RecoveryCodes.tsx';

/** Base32 in groups of four, easier to type into an app by hand. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Enrolment in three steps: get a secret (QR code and text), prove the app works with a first code,
 * keep the recovery codes.
 */
export function TotpEnrolment({ onDone }: { onDone: () => void }) {
  const start = useMutation({
    mutationFn: () => authApi.startTotp(),
    meta: { inlineErrors: true },
  });
  const confirm = useMutation({
    mutationFn: (code: string) => authApi.confirmTotp(code),
    meta: { inlineErrors: true },
  });

  if (confirm.data !== undefined) {
    return <RecoveryCodes codes={confirm.data.recoveryCodes} onSaved={onDone} />;
  }

  if (start.data === undefined) {
    return (
      <>
        <Typography.Paragraph>
          Use an authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, …) to
          produce a new code every 30 seconds. You will need it each time you sign in.
        </Typography.Paragraph>
        <ErrorAlert error={start.error} />
        <Button type="primary" loading={start.isPending} onClick={() => start.mutate()}>
          Set up an authenticator app
        </Button>
      </>
    );
  }

  const { secret, otpauthUri } = start.data;
  return (
    <>
      <Typography.Paragraph>
        1. Scan this QR code with your authenticator app, or type the key into it.
      </Typography.Paragraph>
      <Flex gap={16} wrap align="center" style={{ marginBottom: 16 }}>
        <div role="img" aria-label="QR code of the authenticator key">
          <QRCode value={otpauthUri} size={176} bordered={false} errorLevel="M" />
        </div>
        <div>
          <Typography.Text type="secondary">Key</Typography.Text>
          <div>
            <Typography.Text code copyable={{ text: secret }} data-testid="totp-secret">
              {grouped(secret)}
            </Typography.Text>
          </div>
        </div>
      </Flex>
      <Collapse
        size="small"
        style={{ marginBottom: 16 }}
        items={[
          {
            key: 'uri',
            label: 'Show the otpauth:// address',
            children: (
              <Typography.Paragraph copyable style={{ wordBreak: 'break-all', marginBottom: 0 }}>
                {otpauthUri}
              </Typography.Paragraph>
            ),
          },
        ]}
      />
      <Typography.Paragraph>2. Enter the code the app shows.</Typography.Paragraph>
      <ErrorAlert error={confirm.error} />
      <Form
        name="totp-confirm"
        layout="vertical"
        requiredMark={false}
        onFinish={({ code }: { code: string }) => confirm.mutate(code.trim())}
      >
        <Form.Item
          name="code"
          label="Code from your authenticator app"
          rules={[
            { required: true, message: 'Enter the 6-digit code' },
            { pattern: /^\s*\d{6}\s*$/, message: 'The code has 6 digits' },
          ]}
        >
          <Input autoComplete="one-time-code" inputMode="numeric" maxLength={8} autoFocus />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={confirm.isPending}>
          Turn on two-factor authentication
        </Button>
      </Form>
    </>
  );
}
