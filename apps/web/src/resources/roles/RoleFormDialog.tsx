import { useToast } from '@backoffice/ui';
import { useMutation } from '@tanstack/react-query';
import { Form, Input, Modal } from 'antd';
import { useEffect } from 'react';
import { rolesApi } from '../../api/access.ts';
import type { Role } from '../../api/types.ts';
import { ErrorAlert } from '../../errors/ErrorAlert.tsx';
import { ME_KEY } from '../../auth/AuthProvider.tsx';
import { staffKeys } from '../staff/queries.ts';
import { roleKeys } from './queries.ts';

interface Values {
  name: string;
  description?: string;
}

/** Creates a custom role, or renames / re-describes one. */
export function RoleFormDialog({
  open,
  role,
  onClose,
}: {
  open: boolean;
  /** The role to edit; absent to create one. */
  role?: Role;
  onClose: (saved?: Role) => void;
}) {
  const [form] = Form.useForm<Values>();
  const toast = useToast();
  const save = useMutation({
    mutationFn: (values: Values) =>
      role === undefined
        ? rolesApi.create({
            name: values.name.trim(),
            description: values.description?.trim() ?? '',
          })
        : rolesApi.update(role.id, {
            ...(values.name.trim() === role.name ? {} : { name: values.name.trim() }),
            description: values.description?.trim() ?? '',
          }),
    // Staff accounts and your own account show role names.
    meta: { inlineErrors: true, refreshes: [roleKeys.all, staffKeys.all, ME_KEY] },
    onSuccess: (saved) => {
      toast.success(role === undefined ? `Role ${saved.name} created` : `Role ${saved.name} saved`);
      onClose(saved);
    },
  });

  useEffect(() => {
    if (open) {
      save.reset();
      form.setFieldsValue({ name: role?.name ?? '', description: role?.description ?? '' });
    }
    // Only when the dialog opens: `save` is a new object on every render.
  }, [open, role]);

  return (
    <Modal
      open={open}
      title={role === undefined ? 'New role' : `Edit ${role.name}`}
      okText={role === undefined ? 'Create role' : 'Save'}
      okButtonProps={{ htmlType: 'submit', form: 'role-form', loading: save.isPending }}
      onCancel={() => onClose()}
      destroyOnHidden
    >
      <ErrorAlert error={save.error} />
      <Form<Values>
        form={form}
        id="role-form"
        name="role"
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => save.mutate(values)}
      >
        <Form.Item
          name="name"
          label="Name"
          extra="Letters, digits, spaces, _ and -; starts with a letter."
          rules={[
            { required: true, message: 'Give the role a name' },
            { min: 2, max: 60, message: '2 to 60 characters' },
            { pattern: /^[A-Za-z][A-Za-z0-9 _-]*$/, message: 'Letters, digits, space, _ and -' },
          ]}
        >
          <Input autoFocus disabled={role?.builtin === true} />
        </Form.Item>
        <Form.Item name="description" label="Description" rules={[{ max: 500 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
