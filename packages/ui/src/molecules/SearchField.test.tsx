import { act, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SearchField } from './SearchField.tsx';

describe('SearchField', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reports the text once typing pauses', async () => {
    const onSearch = vi.fn();
    render(<SearchField label="Search staff" value="" onSearch={onSearch} debounceMs={300} />);
    const box = screen.getByRole('searchbox', { name: 'Search staff' });
    fireEvent.change(box, { target: { value: 'a' } });
    fireEvent.change(box, { target: { value: 'al' } });
    await act(() => vi.advanceTimersByTime(299));
    expect(onSearch).not.toHaveBeenCalled();
    await act(() => vi.advanceTimersByTime(1));
    expect(onSearch).toHaveBeenCalledTimes(1);
    expect(onSearch).toHaveBeenCalledWith('al');
  });

  it('reports at once on Enter, and not again after the pause', async () => {
    const onSearch = vi.fn();
    render(<SearchField label="Search" value="" onSearch={onSearch} />);
    const box = screen.getByRole('searchbox', { name: 'Search' });
    fireEvent.change(box, { target: { value: 'bob' } });
    fireEvent.keyDown(box, { key: 'Enter', code: 'Enter', keyCode: 13 });
    expect(onSearch).toHaveBeenCalledWith('bob');
    await act(() => vi.advanceTimersByTime(1000));
    expect(onSearch).toHaveBeenCalledTimes(1);
  });

  it('shows a value set from outside without reporting it back', async () => {
    const onSearch = vi.fn();
    function Harness() {
      const [value, setValue] = useState('first');
      return (
        <>
          <SearchField label="Search" value={value} onSearch={onSearch} />
          <button type="button" onClick={() => setValue('')}>
            Reset
          </button>
        </>
      );
    }
    render(<Harness />);
    expect(screen.getByRole('searchbox')).toHaveValue('first');
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(screen.getByRole('searchbox')).toHaveValue('');
    await act(() => vi.advanceTimersByTime(1000));
    expect(onSearch).not.toHaveBeenCalled();
  });
});
