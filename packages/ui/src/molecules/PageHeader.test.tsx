import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { PageHeader } from './PageHeader.tsx';

describe('PageHeader', () => {
  it('renders the title as the page heading, with subtitle and actions', () => {
    render(
      <PageHeader
        title="Roles"
        subtitle="Who may do what"
        actions={<button type="button">New role</button>}
      />,
    );
    expect(screen.getByRole('heading', { level: 1, name: 'Roles' })).toBeInTheDocument();
    expect(screen.getByText('Who may do what')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'New role' })).toBeInTheDocument();
  });
});
