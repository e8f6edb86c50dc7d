import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { StatCard } from './StatCard.tsx';

describe('StatCard', () => {
  it('shows the label and the value in a region named by the label', () => {
    render(<StatCard label="Active users" value={1234} />);
    expect(screen.getByRole('region', { name: 'Active users' })).toHaveTextContent('1,234');
  });

  it('shows a rise that is good news as success', () => {
    render(
      <StatCard
        label="Sign-ups"
        value={10}
        delta={{ value: 12.5, format: 'percent', label: 'vs yesterday' }}
      />,
    );
    const delta = screen.getByTestId('stat-delta');
    expect(delta).toHaveTextContent('+12.5 % vs yesterday');
    expect(delta.className).toMatch(/success/);
  });

  it('shows a rise that is bad news as danger', () => {
    render(<StatCard label="Errors" value={3} delta={{ value: 2, goodWhen: 'down' }} />);
    const delta = screen.getByTestId('stat-delta');
    expect(delta).toHaveTextContent('+2');
    expect(delta.className).toMatch(/danger/);
  });

  it('shows a skeleton while loading and is marked busy', () => {
    render(<StatCard label="Active users" value={1234} loading />);
    const region = screen.getByRole('region', { name: 'Active users' });
    expect(region).toHaveAttribute('aria-busy', 'true');
    expect(region).not.toHaveTextContent('1,234');
  });

  it('shows a dash when there is no value', () => {
    render(<StatCard label="Lag" value={null} />);
    expect(screen.getByRole('region', { name: 'Lag' })).toHaveTextContent('—');
  });
});
