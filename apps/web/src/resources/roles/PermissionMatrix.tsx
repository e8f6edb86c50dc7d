import { grants as grantsPermission, type Permission } from '@backoffice/contracts';
import { Badge, EditableRowTable, SaveBar, useToast, type EditableColumn } from '@backoffice/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Input, Tag, Typography } from 'antd';
import { useState } from 'react';
import { rolesApi } from '../../api/access.ts';
import type { PermissionMatrix as Matrix, Role } from '../../api/types.ts';
import { ErrorView } from '../../errors/ErrorViews.tsx';
import { ME_KEY } from '../../auth/AuthProvider.tsx';
import { useRoleMatrix, roleKeys } from './queries.ts';

interface Row {
  permission: string;
  resource: string;
  description: string;
  granted: boolean;
  viaWildcard: boolean;
}

function rowsFor(matrix: Matrix, held: readonly string[]): Row[] {
  return matrix.permissions.map((p) => {
    const granted = grantsPermission(held, p.permission as Permission);
    return {
      permission: p.permission,
      resource: p.permission.split(':')[0] ?? '',
      description: p.description,
      granted,
      viaWildcard: granted && !held.includes(p.permission),
    };
  });
}

function sameGrants(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(' ') === [...b].sort().join(' ');
}

/** The role's row of the permission matrix, edited in place and saved with a reason. */
export function PermissionMatrix({ role }: { role: Role }) {
  const matrix = useRoleMatrix(role.id);
  const queryClient = useQueryClient();
  const toast = useToast();
  const [draft, setDraft] = useState<string[] | undefined>(undefined);
  const [reason, setReason] = useState('');

  const save = useMutation({
    mutationFn: (grants: string[]) =>
      rolesApi.setGrants(role.id, grants, reason.trim() === '' ? undefined : reason.trim()),
    // Your own permissions change if you hold the role.
    meta: { refreshes: [roleKeys.all, ME_KEY] },
    onSuccess: (saved) => {
      queryClient.setQueryData(roleKeys.matrix(role.id), saved);
      setDraft(undefined);
      setReason('');
      toast.success('Permissions saved', `${role.name} now has ${saved.grants.length} grants.`);
    },
  });

  if (matrix.isError)
    return <ErrorView error={matrix.error} onRetry={() => void matrix.refetch()} />;
  const original = matrix.data?.grants ?? [];
  const current = draft ?? original;
  const editable = matrix.data?.editable === true;
  const originalRows = matrix.data === undefined ? undefined : rowsFor(matrix.data, original);
  const rows = matrix.data === undefined ? undefined : rowsFor(matrix.data, current);
  const dirty = draft !== undefined && !sameGrants(draft, original);
  const changed = rows?.filter((row, i) => row.granted !== originalRows?.[i]?.granted).length ?? 0;
  const wildcards = current.filter((g) => g === '*' || g.endsWith(':*'));

  // Wildcards and grants outside the catalogue stay as they are; the named permissions follow the grid.
  const grantsFromRows = (next: readonly Row[]) => {
    const catalogue = new Set(next.map((row) => row.permission));
    const explicit = next.filter((row) => row.granted && !row.viaWildcard).map((r) => r.permission);
    return [...current.filter((g) => !catalogue.has(g)), ...explicit];
  };

  const columns: EditableColumn<Row>[] = [
    {
      key: 'granted',
      title: 'Granted',
      width: 90,
      editor: {
        type: 'checkbox',
        get: (row) => row.granted,
        set: (row, granted) => ({ ...row, granted }),
        label: (row) => `Grant ${row.permission}`,
        disabled: (row) => row.viaWildcard,
      },
    },
    {
      key: 'permission',
      title: 'Permission',
      render: (row) => (
        <>
          <Typography.Text code>{row.permission}</Typography.Text>
          {row.viaWildcard ? (
            <Badge tone="info" title="Granted by a wildcard: remove the wildcard to change it">
              via {current.includes('*') ? '*' : `${row.resource}:*`}
            </Badge>
          ) : null}
        </>
      ),
    },
    { key: 'description', title: 'What it allows', render: (row) => row.description },
  ];

  return (
    <>
      {matrix.data !== undefined && !editable ? (
        <Alert
          type="info"
          showIcon
          title={`The built-in ${role.name} role cannot be changed`}
          description="It holds every permission, so that there is always someone who can manage access."
          style={{ marginBottom: 16 }}
        />
      ) : null}
      {wildcards.length > 0 && editable ? (
        <div style={{ marginBottom: 12 }}>
          <Typography.Text type="secondary">Wildcard grants: </Typography.Text>
          {wildcards.map((w) => (
            <Tag
              key={w}
              closable
              closeIcon={<span aria-label={`Remove wildcard ${w}`}>×</span>}
              onClose={(event) => {
                event.preventDefault();
                setDraft(current.filter((g) => g !== w));
              }}
            >
              {w}
            </Tag>
          ))}
        </div>
      ) : null}
      <EditableRowTable<Row>
        label={`Permissions of ${role.name}`}
        rows={rows}
        rowKey={(row) => row.permission}
        columns={columns}
        readOnly={!editable || save.isPending}
        isChanged={(row) =>
          originalRows?.find((o) => o.permission === row.permission)?.granted !== row.granted
        }
        onChange={(next) => setDraft(grantsFromRows(next))}
      />
      <SaveBar
        dirty={dirty}
        saving={save.isPending}
        message={`${changed} permission${changed === 1 ? '' : 's'} changed`}
        onSave={() => save.mutate(current)}
        onDiscard={() => {
          setDraft(undefined);
          setReason('');
        }}
      >
        <Input
          aria-label="Reason for the change"
          placeholder="Reason for the change (recorded in the history)"
          value={reason}
          maxLength={1000}
          onChange={(event) => setReason(event.target.value)}
        />
      </SaveBar>
    </>
  );
}
