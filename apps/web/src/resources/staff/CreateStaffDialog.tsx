import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { staffApi } from '../../api/access.ts';
import type { Staff } from '../../api/types.ts';
import { ErrorAlert } from '../../errors/ErrorAlert.tsx';
import { roleKeys, useRoles } from '../roles/queries.ts';
import { staffKeys } from './queries.ts';

interface Values {
  email: string;
  name: string;
  roleIds: string[];
}

/**
 * Creates a staff account with a temporary password, shown once here, to hand over; the person
 * replaces it at their first sign-in.
 */
export function CreateStaffDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const roles = useRoles();
  const [created, setCreated] = useState<{ staff: Staff; temporaryPassword: string | null }>();
  const create = useMutation({
    mutationFn: (values: Values) =>
      staffApi.create({
        email: values.email.trim(),
        name: values.name.trim(),
        roleIds: values.roleIds,
      }),
    meta: { inlineErrors: true, refreshes: [staffKeys.all, roleKeys.all] },
    onSuccess: (result) => setCreated(result),
  });

  const close = () => {
    setCreated(undefined);
    create.reset();
    form.resetFields();
    onClose();
  };

  if (created !== undefined) {
    return (
      <Modal
        open={open}
        title="Staff account created"
        onCancel={close}
        footer={
          <Button type="primary" onClick={close}>
            Done
          </Button>
        }
      >
        <Typography.Paragraph>
          {created.staff.name ?? created.staff.email} can now sign in as{' '}
          <Typography.Text strong>{created.staff.email}</Typography.Text>.
        </Typography.Paragraph>
        {created.temporaryPassword === null ? null : (
          <>
            <Alert
              type="warning"
              showIcon
              title="The temporary password is shown only now"
              description="Hand it over through a safe channel. It must be changed at the first sign-in."
              style={{ marginBottom: 12 }}
            />
            <Typography.Text type="secondary">Temporary password</Typography.Text>
            <div>
              <Typography.Text
                code
                copyable={{ text: created.temporaryPassword }}
                data-testid="temporary-password"
                style={{ fontSize: 16 }}
              >
                {created.temporaryPassword}
              </Typography.Text>
            </div>
          </>
        )}
      </Modal>
    );
  }

  return (
    <Modal
      open={open}
      title="New staff account"
      okText="Create account"
      okButtonProps={{ htmlType: 'submit', form: 'staff-form', loading: create.isPending }}
      onCancel={close}
      destroyOnHidden
    >
      <ErrorAlert error={create.error} />
      <Form<Values>
        form={form}
        id="staff-form"
        name="staff"
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => create.mutate(values)}
      >
        <Form.Item
          name="email"
          label="Email"
          rules={[
            { required: true, message: 'Enter their work email' },
            { type: 'email', message: 'Not an email address' },
          ]}
        >
          <Input type="email" autoComplete="off" autoFocus />
        </Form.Item>
        <Form.Item
          name="name"
          label="Name"
          rules={[{ required: true, message: 'Enter their name' }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="roleIds"
          label="Roles"
          rules={[{ required: true, type: 'array', min: 1, message: 'Choose at least one role' }]}
        >
          <Select
            mode="multiple"
            loading={roles.isLoading}
            optionFilterProp="label"
            options={roles.data?.data.map((role) => ({ value: role.id, label: role.name })) ?? []}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
