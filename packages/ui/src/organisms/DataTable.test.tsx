import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { ListPage } from '../types.ts';
import { DataTable, type DataTableColumn } from './DataTable.tsx';

interface Person {
  id: string;
  email: string;
  status: string;
  logins: number;
}

const people: Person[] = [
  { id: '1', email: 'ann@example.com', status: 'active', logins: 3 },
  { id: '2', email: 'bob@example.com', status: 'disabled', logins: 0 },
];
const page: ListPage<Person> = { data: people, page: 1, limit: 25, total: 2 };

const columns: DataTableColumn<Person>[] = [
  { key: 'email', title: 'Email', sortable: true },
  { key: 'status', title: 'Status', render: (p) => <strong>{p.status}</strong> },
  { key: 'logins', title: 'Sign-ins', hiddenByDefault: true },
];

function renderTable(props: Partial<Parameters<typeof DataTable<Person>>[0]> = {}) {
  return render(
    <App>
      <DataTable<Person>
        label="Staff"
        columns={columns}
        rowKey={(p) => p.id}
        result={page}
        onPageChange={() => undefined}
        {...props}
      />
    </App>,
  );
}

describe('DataTable', () => {
  it('shows the rows of the current page in a named table, without hidden columns', () => {
    renderTable();
    const table = screen.getByRole('table', { name: 'Staff' });
    expect(within(table).getByText('ann@example.com')).toBeInTheDocument();
    expect(within(table).getByText('disabled').tagName).toBe('STRONG');
    expect(within(table).queryByText('Sign-ins')).not.toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Staff pages' })).toHaveTextContent('1–2 of 2');
  });

  it('shows a skeleton, not an empty table, before the first page arrives', () => {
    renderTable({ result: undefined });
    expect(screen.getByRole('group', { name: 'Staff (loading)' })).toHaveAttribute(
      'aria-busy',
      'true',
    );
    expect(screen.queryByRole('table', { name: 'Staff' })).not.toBeInTheDocument();
  });

  it('shows the empty state when nothing matches', () => {
    renderTable({ result: { data: [], page: 1, limit: 25, total: 0 }, empty: 'No staff yet' });
    expect(screen.getByText('No staff yet')).toBeInTheDocument();
    expect(screen.queryByRole('navigation', { name: 'Staff pages' })).not.toBeInTheDocument();
  });

  it('asks the parent to sort when a sortable header is activated', async () => {
    const onSortChange = vi.fn();
    renderTable({ onSortChange });
    await userEvent.click(screen.getByRole('columnheader', { name: 'Email' }));
    expect(onSortChange).toHaveBeenCalledWith({ key: 'email', order: 'asc' });
  });

  it('marks the column it is sorted by', () => {
    renderTable({ sort: { key: 'email', order: 'desc' } });
    expect(screen.getByRole('columnheader', { name: 'Email' })).toHaveAttribute(
      'aria-sort',
      'descending',
    );
  });

  it('asks the parent for another page', async () => {
    const onPageChange = vi.fn();
    renderTable({ result: { ...page, total: 60 }, onPageChange });
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(onPageChange).toHaveBeenCalledWith(2, 25);
  });

  it('selects rows by labelled checkboxes and offers bulk actions for them', async () => {
    function Selectable() {
      const [keys, setKeys] = useState<string[]>([]);
      return (
        <App>
          <DataTable<Person>
            label="Staff"
            columns={columns}
            rowKey={(p) => p.id}
            result={page}
            selection={{
              selectedKeys: keys,
              onChange: setKeys,
              rowLabel: (p) => p.email,
              actions: (selected) => <button type="button">Disable {selected.length}</button>,
            }}
          />
        </App>
      );
    }
    render(<Selectable />);
    expect(screen.queryByRole('region', { name: 'Bulk actions' })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select bob@example.com' }));
    const bulk = screen.getByRole('region', { name: 'Bulk actions' });
    expect(bulk).toHaveTextContent('1 selected');
    expect(within(bulk).getByRole('button', { name: 'Disable 1' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Select all' }));
    expect(bulk).toHaveTextContent('2 selected');
    await userEvent.click(within(bulk).getByRole('button', { name: 'Clear selection' }));
    expect(screen.queryByRole('region', { name: 'Bulk actions' })).not.toBeInTheDocument();
  });

  it('shows and hides columns from the column chooser', async () => {
    renderTable();
    await userEvent.click(screen.getByRole('button', { name: 'Columns' }));
    await userEvent.click(await screen.findByRole('checkbox', { name: 'Sign-ins' }));
    expect(screen.getByRole('columnheader', { name: 'Sign-ins' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Status' }));
    expect(screen.queryByRole('columnheader', { name: 'Status' })).not.toBeInTheDocument();
  });

  it('exports every row of the current filter as CSV with the visible columns', async () => {
    const download = vi.fn();
    const fetchRows = vi.fn(() =>
      Promise.resolve([...people, { ...people[0]!, id: '3', email: 'c,d' }]),
    );
    renderTable({ exportCsv: { fileName: 'staff.csv', fetchRows }, download });
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(download).toHaveBeenCalledOnce());
    expect(download).toHaveBeenCalledWith(
      'staff.csv',
      'Email,Status\r\nann@example.com,active\r\nbob@example.com,disabled\r\n"c,d",active\r\n',
    );
    expect(await screen.findByText('Exported 3 rows')).toBeInTheDocument();
  });

  it('reports a failed export', async () => {
    const fetchRows = vi.fn(() => Promise.reject(new Error('network down')));
    renderTable({ exportCsv: { fileName: 'staff.csv', fetchRows }, download: vi.fn() });
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(await screen.findByText('The export failed')).toBeInTheDocument();
    expect(screen.getByText('network down')).toBeInTheDocument();
  });
});
