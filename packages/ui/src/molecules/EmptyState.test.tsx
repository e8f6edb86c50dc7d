import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { EmptyState } from './EmptyState.tsx';

describe('EmptyState', () => {
  it('shows the title, the description and the action', () => {
    render(
      <EmptyState
        title="No roles yet"
        description="Create one to grant permissions."
        action={<button type="button">New role</button>}
      />,
    );
    const note = screen.getByRole('note');
    expect(note).toHaveTextContent('No roles yet');
    expect(note).toHaveTextContent('Create one to grant permissions.');
    expect(screen.getByRole('button', { name: 'New role' })).toBeInTheDocument();
  });
});
