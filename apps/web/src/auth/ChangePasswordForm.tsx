import { useToast } from '@backoffice/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input } from 'antd';
import { authApi } from '../api/auth.ts';
import { ErrorAlert } from '../errors/ErrorAlert.tsx';
import { refreshAfterChange } from '../query.ts';
import { ME_KEY, OWN_SESSIONS } from './AuthProvider.tsx';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/** Current password, new one twice. The server ends the person's other sessions. */
export function ChangePasswordForm({
  onDone,
  currentLabel = 'Current password',
}: {
  onDone?: () => void;
  currentLabel?: string;
}) {
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const toast = useToast();
  const change = useMutation({
    mutationFn: (values: Values) =>
      authApi.changePassword(values.currentPassword, values.newPassword),
    meta: { inlineErrors: true },
    onSuccess: async () => {
      form.resetFields();
      toast.success('Password changed', 'Your other sessions were signed out.');
      // Before onDone: the account no longer needs a new password, and its other sessions ended.
      await refreshAfterChange(queryClient, [ME_KEY, OWN_SESSIONS]);
      onDone?.();
    },
  });

  return (
    <Form<Values>
      form={form}
      name="password"
      layout="vertical"
      requiredMark={false}
      onFinish={(values) => change.mutate(values)}
    >
      <ErrorAlert error={change.error} />
      <Form.Item
        name="currentPassword"
        label={currentLabel}
        rules={[{ required: true, message: 'Enter the current password' }]}
      >
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label="New password"
        extra="At least 12 characters. A passphrase of several words is easy to remember."
        rules={[
          { required: true, message: 'Choose a new password' },
          { min: 12, message: 'At least 12 characters' },
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirmPassword"
        label="New password again"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: 'Repeat the new password' },
          ({ getFieldValue }) => ({
            validator: (_, value) =>
              value === undefined || value === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error('The two passwords differ')),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={change.isPending}>
        Change password
      </Button>
    </Form>
  );
}
