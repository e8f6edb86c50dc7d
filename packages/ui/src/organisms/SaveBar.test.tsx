import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { SaveBar } from './SaveBar.tsx';

describe('SaveBar', () => {
  it('is absent while nothing changed', () => {
    render(<SaveBar dirty={false} onSave={() => undefined} onDiscard={() => undefined} />);
    expect(screen.queryByRole('region', { name: 'Unsaved changes' })).not.toBeInTheDocument();
  });

  it('offers to save or discard the changes', async () => {
    const onSave = vi.fn();
    const onDiscard = vi.fn();
    render(<SaveBar dirty message="2 permissions changed" onSave={onSave} onDiscard={onDiscard} />);
    expect(screen.getByRole('region', { name: 'Unsaved changes' })).toHaveTextContent(
      '2 permissions changed',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await userEvent.click(screen.getByRole('button', { name: 'Discard' }));
    expect(onSave).toHaveBeenCalledOnce();
    expect(onDiscard).toHaveBeenCalledOnce();
  });

  it('keeps Save disabled when told to, and renders extra inputs', () => {
    render(
      <SaveBar dirty saveDisabled onSave={() => undefined} onDiscard={() => undefined}>
        <input aria-label="Reason" />
      </SaveBar>,
    );
    expect(screen.getByRole('button', { name: 'Save changes' })).toBeDisabled();
    expect(screen.getByLabelText('Reason')).toBeInTheDocument();
  });
});
