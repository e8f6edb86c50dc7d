import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { FilterToolbar } from './FilterToolbar.tsx';

type Filters = { search?: string; status?: string; reason?: string; from?: string };

const filters = [
  {
    type: 'select',
    key: 'status',
    label: 'Status',
    options: [
      { value: 'active', label: 'Active' },
      { value: 'disabled', label: 'Disabled' },
    ],
  },
  { type: 'text', key: 'reason', label: 'Reason' },
] as const;

describe('FilterToolbar', () => {
  it('labels every control inside a search landmark', () => {
    render(
      <FilterToolbar<Filters>
        value={{}}
        onChange={() => undefined}
        search={{ key: 'search', label: 'Search staff' }}
        filters={filters}
      />,
    );
    const landmark = screen.getByRole('search', { name: 'Filters' });
    expect(landmark).toContainElement(screen.getByRole('searchbox', { name: 'Search staff' }));
    expect(screen.getByRole('combobox', { name: 'Status' })).toBeInTheDocument();
    expect(screen.getByRole('searchbox', { name: 'Reason' })).toBeInTheDocument();
  });

  it('reports a chosen option as the new value object', async () => {
    const onChange = vi.fn();
    render(
      <FilterToolbar<Filters>
        value={{ search: 'ann' }}
        onChange={onChange}
        search={{ key: 'search', label: 'Search staff' }}
        filters={filters}
      />,
    );
    await userEvent.click(screen.getByRole('combobox', { name: 'Status' }));
    await userEvent.click(await screen.findByTitle('Disabled'));
    expect(onChange).toHaveBeenCalledWith({ search: 'ann', status: 'disabled' });
  });

  it('reports the search once typing pauses', async () => {
    const onChange = vi.fn();
    render(
      <FilterToolbar<Filters>
        value={{}}
        onChange={onChange}
        search={{ key: 'search', label: 'Search staff' }}
      />,
    );
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search staff' }), {
      target: { value: 'bob ' },
    });
    await waitFor(() => expect(onChange).toHaveBeenCalledWith({ search: 'bob' }));
  });

  it('clears every filter at once', async () => {
    const onChange = vi.fn();
    render(
      <FilterToolbar<Filters>
        value={{ search: 'ann', status: 'active' }}
        onChange={onChange}
        search={{ key: 'search', label: 'Search staff' }}
        filters={filters}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(onChange).toHaveBeenCalledWith({
      search: undefined,
      status: undefined,
      reason: undefined,
    });
  });

  it('takes a day in a date field with a visible label', () => {
    const onChange = vi.fn();
    render(
      <FilterToolbar<Filters>
        value={{ status: 'active', from: '2026-10-01' }}
        onChange={onChange}
        filters={[{ type: 'date', key: 'from', label: 'Registered from' }]}
      />,
    );
    const field = screen.getByLabelText('Registered from');
    expect(field).toHaveAttribute('type', 'date');
    expect(screen.getByText('Registered from')).toBeVisible();
    expect(field).toHaveValue('2026-10-01');
    fireEvent.change(field, { target: { value: '2026-11-01' } });
    expect(onChange).toHaveBeenCalledWith({ status: 'active', from: '2026-11-01' });
    fireEvent.change(field, { target: { value: '' } });
    expect(onChange).toHaveBeenLastCalledWith({ status: 'active', from: undefined });
  });

  it('offers no "clear" while nothing is filtered', () => {
    render(<FilterToolbar<Filters> value={{}} onChange={() => undefined} filters={filters} />);
    expect(screen.queryByRole('button', { name: 'Clear filters' })).not.toBeInTheDocument();
  });
});
