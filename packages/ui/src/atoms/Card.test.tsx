import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Card } from './Card.tsx';

describe('Card', () => {
  it('is a region named by its title', () => {
    render(
      <Card title="Sources" extra={<button type="button">Refresh</button>}>
        content
      </Card>,
    );
    const region = screen.getByRole('region', { name: 'Sources' });
    expect(region).toHaveTextContent('content');
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeInTheDocument();
  });

  it('shows a skeleton instead of its content while loading', () => {
    render(
      <Card title="Sources" loading>
        content
      </Card>,
    );
    expect(screen.queryByText('content')).not.toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Sources' })).toHaveAttribute('aria-busy', 'true');
  });
});
