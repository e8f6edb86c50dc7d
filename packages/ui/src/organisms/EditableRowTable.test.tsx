import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { EditableRowTable, type EditableColumn } from './EditableRowTable.tsx';

interface Grant {
  permission: string;
  granted: boolean;
  note: string;
  scope: string;
  locked: boolean;
}

const initial: Grant[] = [
  { permission: 'users:read', granted: true, note: '', scope: 'all', locked: false },
  { permission: 'users:block', granted: false, note: '', scope: 'all', locked: false },
  { permission: 'audit:read', granted: true, note: '', scope: 'all', locked: true },
];

const columns: EditableColumn<Grant>[] = [
  { key: 'permission', title: 'Permission', render: (g) => <code>{g.permission}</code> },
  {
    key: 'granted',
    title: 'Granted',
    editor: {
      type: 'checkbox',
      get: (g) => g.granted,
      set: (g, granted) => ({ ...g, granted }),
      label: (g) => `${g.permission} granted`,
      disabled: (g) => g.locked,
    },
  },
  {
    key: 'note',
    title: 'Note',
    editor: {
      type: 'text',
      get: (g) => g.note,
      set: (g, note) => ({ ...g, note }),
      label: (g) => `${g.permission} note`,
    },
  },
  {
    key: 'scope',
    title: 'Scope',
    editor: {
      type: 'select',
      options: [
        { value: 'all', label: 'All' },
        { value: 'own', label: 'Own team' },
      ],
      get: (g) => g.scope,
      set: (g, scope) => ({ ...g, scope }),
      label: (g) => `${g.permission} scope`,
    },
  },
];

function Harness({
  onChange,
  readOnly,
}: {
  onChange?: (rows: Grant[]) => void;
  readOnly?: boolean;
}) {
  const [rows, setRows] = useState(initial);
  return (
    <EditableRowTable<Grant>
      label="Permission matrix"
      rows={rows}
      rowKey={(g) => g.permission}
      columns={columns}
      readOnly={readOnly ?? false}
      isChanged={(g) => {
        const before = initial.find((i) => i.permission === g.permission);
        return JSON.stringify(before) !== JSON.stringify(g);
      }}
      onChange={(next) => {
        setRows(next);
        onChange?.(next);
      }}
    />
  );
}

describe('EditableRowTable', () => {
  it('renders a labelled control in every editable cell', () => {
    render(<Harness />);
    expect(screen.getByRole('table', { name: 'Permission matrix' })).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'users:read granted' })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'users:block granted' })).not.toBeChecked();
    expect(screen.getByRole('textbox', { name: 'users:read note' })).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'users:read scope' })).toBeInTheDocument();
  });

  it('reports every edit as the whole new list and marks the changed row', async () => {
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);
    await userEvent.click(screen.getByRole('checkbox', { name: 'users:block granted' }));
    const rows = onChange.mock.lastCall?.[0] as Grant[];
    expect(rows.map((r) => r.granted)).toEqual([true, true, true]);
    const changedRow = screen.getByRole('checkbox', { name: 'users:block granted' }).closest('tr');
    expect(within(changedRow!).getByText('Changed')).toBeInTheDocument();
    expect(screen.getAllByText('Changed', { selector: '.ant-tag' })).toHaveLength(1);
  });

  it('edits text and select cells', async () => {
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);
    await userEvent.type(screen.getByRole('textbox', { name: 'audit:read note' }), 'ok');
    expect((onChange.mock.lastCall?.[0] as Grant[])[2]?.note).toBe('ok');
    await userEvent.click(screen.getByRole('combobox', { name: 'users:read scope' }));
    await userEvent.click(await screen.findByTitle('Own team'));
    expect((onChange.mock.lastCall?.[0] as Grant[])[0]?.scope).toBe('own');
  });

  it('keeps disabled cells and read-only tables from changing', () => {
    const { unmount } = render(<Harness />);
    expect(screen.getByRole('checkbox', { name: 'audit:read granted' })).toBeDisabled();
    expect(screen.getByRole('checkbox', { name: 'users:read granted' })).toBeEnabled();
    unmount();
    render(<Harness readOnly />);
    expect(screen.getByRole('checkbox', { name: 'users:read granted' })).toBeDisabled();
    expect(screen.getByRole('textbox', { name: 'users:read note' })).toBeDisabled();
  });

  it('shows a skeleton while the rows load', () => {
    render(
      <EditableRowTable<Grant>
        label="Permission matrix"
        rows={undefined}
        rowKey={(g) => g.permission}
        columns={columns}
        onChange={() => undefined}
      />,
    );
    expect(screen.getByRole('group', { name: 'Permission matrix (loading)' })).toBeInTheDocument();
  });
});
