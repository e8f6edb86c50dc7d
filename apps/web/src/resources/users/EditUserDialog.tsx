import { useToast } from '@backoffice/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Form, Input, Modal, Select } from 'antd';
import type { UserDetail, UserUpdate } from '../../api/types.ts';
import { usersApi } from '../../api/users.ts';
import { useCanAccess } from '../../auth/AuthProvider.tsx';
import { ErrorAlert } from '../../errors/ErrorAlert.tsx';
import { isMasked } from '../../format.ts';
import { showUnconfirmed, userKeys, type Unconfirmed } from './queries.ts';

interface Values {
  name: string;
  email: string;
  role: 'Customer' | 'Staff' | 'Admin';
  reason: string;
}

const ROLES = ['Customer', 'Staff', 'Admin'] as const;

/** Only what changed is sent; a masked value left empty stays as it is. */
export function changesOf(user: UserDetail, values: Values): UserUpdate | undefined {
  const name = values.name.trim();
  const email = values.email.trim();
  const changes: UserUpdate = { reason: values.reason.trim() };
  if (name !== '' && name !== (user.name ?? '')) changes.name = name;
  if (email !== '' && email !== user.email) changes.email = email;
  if (values.role !== user.role) changes.role = values.role;
  return Object.keys(changes).length > 1 ? changes : undefined;
}

/** Changes a user's name, email or role at the User Service, with a reason for the audit trail. */
export function EditUserDialog({
  user,
  open,
  onClose,
}: {
  user: UserDetail;
  open: boolean;
  onClose: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const canAccess = useCanAccess();
  // A role is a privilege: changing it needs users:role (and a second factor, asked by the server).
  const canChangeRole = canAccess('users', 'role');
  const queryClient = useQueryClient();
  const toast = useToast();
  const save = useMutation({
    mutationFn: (changes: UserUpdate) => usersApi.update(user.id, changes),
    meta: { inlineErrors: true, refreshes: [userKeys.all] },
    onSuccess: (saved, changes) => {
      const fields: Unconfirmed['fields'] = {};
      if (changes.name !== undefined) fields.name = saved.name;
      if (changes.email !== undefined) fields.email = saved.email;
      if (changes.role !== undefined) fields.role = saved.role;
      showUnconfirmed(queryClient, user.id, fields);
      toast.success(
        'Profile saved',
        'The User Service has the change; its event confirms it here.',
      );
      close();
    },
  });

  const close = () => {
    save.reset();
    form.resetFields();
    onClose();
  };

  const emailMasked = isMasked(user.email);
  const nameMasked = isMasked(user.name);

  return (
    <Modal
      open={open}
      title="Edit profile"
      okText="Save profile"
      okButtonProps={{ htmlType: 'submit', form: 'user-form', loading: save.isPending }}
      onCancel={close}
      destroyOnHidden
    >
      <ErrorAlert error={save.error} />
      <Form<Values>
        form={form}
        id="user-form"
        name="user"
        layout="vertical"
        requiredMark={false}
        initialValues={{
          name: nameMasked ? '' : (user.name ?? ''),
          email: emailMasked ? '' : user.email,
          role: ROLES.find((r) => r === user.role) ?? 'Customer',
          reason: '',
        }}
        onFinish={(values) => {
          const changes = changesOf(user, values);
          if (changes === undefined) {
            form.setFields([{ name: 'name', errors: ['Change the name, email or role first'] }]);
            return;
          }
          save.mutate(changes);
        }}
      >
        <Form.Item
          name="name"
          label="Name"
          {...(nameMasked ? { help: 'Masked for you: leave empty to keep it.' } : {})}
          rules={[{ max: 200, message: 'At most 200 characters' }]}
        >
          <Input autoComplete="off" autoFocus />
        </Form.Item>
        <Form.Item
          name="email"
          label="Email"
          {...(emailMasked ? { help: 'Masked for you: leave empty to keep it.' } : {})}
          rules={[{ type: 'email', message: 'Not an email address' }]}
        >
          <Input type="email" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="role"
          label="Role"
          {...(canChangeRole ? {} : { help: 'Changing a role needs the users:role permission.' })}
        >
          <Select options={ROLES.map((r) => ({ value: r, label: r }))} disabled={!canChangeRole} />
        </Form.Item>
        <Form.Item
          name="reason"
          label="Reason"
          extra="Recorded in the audit trail with the change."
          rules={[
            { required: true, whitespace: true, message: 'Say why' },
            { min: 3, message: 'At least 3 characters' },
          ]}
        >
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
