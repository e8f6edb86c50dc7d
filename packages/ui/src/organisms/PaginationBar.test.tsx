import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { PaginationBar } from './PaginationBar.tsx';

describe('PaginationBar', () => {
  it('says which rows are shown out of how many', () => {
    render(<PaginationBar page={2} limit={25} total={60} onChange={() => undefined} />);
    const nav = screen.getByRole('navigation', { name: 'Pagination' });
    expect(nav).toHaveTextContent('26–50 of 60');
    expect(nav).toHaveTextContent('Page 2 of 3');
  });

  it('moves between pages', async () => {
    const onChange = vi.fn();
    render(<PaginationBar page={2} limit={25} total={60} onChange={onChange} />);
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(onChange).toHaveBeenLastCalledWith(3, 25);
    await userEvent.click(screen.getByRole('button', { name: 'Previous page' }));
    expect(onChange).toHaveBeenLastCalledWith(1, 25);
    await userEvent.click(screen.getByRole('button', { name: 'Last page' }));
    expect(onChange).toHaveBeenLastCalledWith(3, 25);
  });

  it('disables moving past either end', () => {
    render(<PaginationBar page={1} limit={25} total={10} onChange={() => undefined} />);
    expect(screen.getByRole('button', { name: 'Previous page' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'First page' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
  });

  it('goes back to the first page when the page size changes', async () => {
    const onChange = vi.fn();
    render(<PaginationBar page={3} limit={10} total={100} onChange={onChange} />);
    await userEvent.click(screen.getByRole('combobox', { name: 'Rows per page' }));
    await userEvent.click(await screen.findByTitle('50'));
    expect(onChange).toHaveBeenCalledWith(1, 50);
  });

  it('says "more than" when the count stopped, and moves on while there is a next page', async () => {
    const onChange = vi.fn();
    const { rerender } = render(
      <PaginationBar
        page={40}
        limit={25}
        total={1000}
        onChange={onChange}
        openEnded={{ hasNextPage: true, rows: 25 }}
      />,
    );
    const nav = screen.getByRole('navigation', { name: 'Pagination' });
    expect(nav).toHaveTextContent('976–1,000 of more than 1,000');
    expect(nav).toHaveTextContent('Page 40');
    expect(nav).not.toHaveTextContent('Page 40 of');
    expect(screen.queryByRole('button', { name: 'Last page' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(onChange).toHaveBeenLastCalledWith(41, 25);

    rerender(
      <PaginationBar
        page={43}
        limit={25}
        total={1000}
        onChange={onChange}
        openEnded={{ hasNextPage: false, rows: 7 }}
      />,
    );
    expect(nav).toHaveTextContent('1,051–1,057 of more than 1,000');
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
  });

  it('says when there are no results', () => {
    render(<PaginationBar page={1} limit={25} total={0} onChange={() => undefined} />);
    expect(screen.getByRole('navigation')).toHaveTextContent('No results');
  });
});
