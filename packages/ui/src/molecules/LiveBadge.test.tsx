import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LiveBadge, type ConnectionState } from './LiveBadge.tsx';

describe('LiveBadge', () => {
  it.each<[ConnectionState, string]>([
    ['live', 'Live'],
    ['reconnecting', 'Reconnecting…'],
    ['offline', 'Offline'],
    ['polling', 'Polling'],
  ])('says %s as "%s"', (state, label) => {
    render(<LiveBadge state={state} />);
    expect(screen.getByRole('status', { name: `Connection: ${label}` })).toHaveTextContent(label);
  });

  it('adds the detail', () => {
    render(<LiveBadge state="polling" detail="every 5 s" />);
    expect(screen.getByRole('status')).toHaveTextContent('Polling · every 5 s');
  });
});
