import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Badge, StatusBadge, humanize } from './Badge.tsx';

describe('Badge', () => {
  it('shows its text with the tone it was given', () => {
    render(<Badge tone="error">Blocked</Badge>);
    expect(screen.getByText('Blocked')).toHaveAttribute('data-tone', 'error');
  });
});

describe('StatusBadge', () => {
  it('colours known statuses and humanizes their name', () => {
    render(<StatusBadge status="pending" />);
    expect(screen.getByText('Pending')).toHaveAttribute('data-tone', 'warning');
  });

  it('lets a screen override the tone and the label', () => {
    render(<StatusBadge status="pending" label="Waiting" tones={{ pending: 'info' }} />);
    expect(screen.getByText('Waiting')).toHaveAttribute('data-tone', 'info');
  });

  it('shows unknown statuses as neutral', () => {
    render(<StatusBadge status="something_new" />);
    expect(screen.getByText('Something new')).toHaveAttribute('data-tone', 'neutral');
  });

  it('humanizes snake and kebab case', () => {
    expect(humanize('role.grants_changed')).toBe('Role.grants changed');
    expect(humanize('max-deliveries')).toBe('Max deliveries');
  });
});
