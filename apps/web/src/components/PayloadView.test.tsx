import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MaskedText, PayloadView } from './PayloadView.tsx';

describe('PayloadView', () => {
  it('shows a masked payload as masked, saying why', () => {
    render(<PayloadView value="***" label="Payload" />);
    expect(screen.getByText('Payload masked')).toBeInTheDocument();
    expect(screen.getByText(/users:read_pii/)).toBeInTheDocument();
  });

  it('shows JSON indented, in a focusable block for keyboard scrolling', () => {
    render(<PayloadView value={{ user: { email: 'a@b.c' } }} label="Payload" />);
    const block = screen.getByLabelText('Payload');
    expect(block).toHaveTextContent('"email": "a@b.c"');
    expect(block).toHaveAttribute('tabindex', '0');
  });
});

describe('MaskedText', () => {
  it('shows personal data as it is when the person may see it', () => {
    render(<MaskedText value="ann@example.com" />);
    expect(screen.getByText('ann@example.com')).toBeInTheDocument();
    expect(screen.queryByText(/masked/)).not.toBeInTheDocument();
  });

  it('shows a masked value as masked, not as an error', () => {
    render(<MaskedText value="a***@example.com" />);
    expect(screen.getByText('a***@example.com')).toBeInTheDocument();
    expect(screen.getByText('(masked)')).toBeInTheDocument();
  });

  it('shows a dash for nothing', () => {
    render(<MaskedText value={null} />);
    expect(screen.getByText('—')).toBeInTheDocument();
  });
});
