import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { anyText, calendarDay, oneOf, useListState } from './useListState.ts';

type Filter = { search?: string; status?: string; since?: string };
const FILTERS = { search: anyText, status: oneOf(['active', 'disabled']), since: calendarDay };

function setup(url: string) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <MemoryRouter initialEntries={[url]}>{children}</MemoryRouter>
  );
  return renderHook(() => ({ list: useListState<Filter>(FILTERS), location: useLocation() }), {
    wrapper,
  });
}

describe('useListState', () => {
  it('reads filters, page and page size from the URL', () => {
    const { result } = setup('/staff?search=ann&status=active&page=3&limit=50&other=x');
    expect(result.current.list.filter).toEqual({ search: 'ann', status: 'active' });
    expect(result.current.list.page).toBe(3);
    expect(result.current.list.limit).toBe(50);
  });

  it('applies enum values however they are cased, in the list’s own spelling', () => {
    const { result } = setup('/staff?status=ACTIVE');
    expect(result.current.list.filter).toEqual({ status: 'active' });
    expect(result.current.list.rejected).toEqual([]);
  });

  it('neither applies nor shows a value it does not understand, and reports it', () => {
    const { result } = setup('/staff?search=ann&status=Nope&since=2026-02-30');
    expect(result.current.list.filter).toEqual({ search: 'ann' });
    expect(result.current.list.rejected).toEqual([
      { key: 'status', value: 'Nope' },
      { key: 'since', value: '2026-02-30' },
    ]);
  });

  it('falls back to page 1 and the default size for nonsense', () => {
    const { result } = setup('/staff?page=-2&limit=5000');
    expect(result.current.list.page).toBe(1);
    expect(result.current.list.limit).toBe(25);
  });

  it('writes a new filter to the URL and starts again at page 1', () => {
    const { result } = setup('/staff?search=ann&page=3');
    act(() => result.current.list.setFilter({ search: 'bob', status: 'disabled' }));
    expect(result.current.location.search).toBe('?search=bob&status=disabled');
    expect(result.current.list.page).toBe(1);
  });

  it('keeps the filter when the page changes', () => {
    const { result } = setup('/staff?search=ann');
    act(() => result.current.list.setPage(2, 50));
    expect(result.current.location.search).toBe('?search=ann&page=2&limit=50');
  });

  it('keeps the same filter object while the URL does not change', () => {
    const { result, rerender } = setup('/staff?search=ann');
    const before = result.current.list.filter;
    rerender();
    expect(result.current.list.filter).toBe(before);
  });
});
