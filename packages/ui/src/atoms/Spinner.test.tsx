import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Spinner } from './Spinner.tsx';

describe('Spinner', () => {
  it('is announced as a status with its label', () => {
    render(<Spinner label="Loading roles" />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading roles');
  });

  it('says "Loading" by default', () => {
    render(<Spinner />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading');
  });
});
