import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SkeletonRows } from './SkeletonRows.tsx';

describe('SkeletonRows', () => {
  it('keeps the table header and shows busy placeholder rows', () => {
    render(
      <SkeletonRows
        label="Roles"
        columns={[
          { key: 'name', title: 'Name' },
          { key: 'grants', title: 'Grants' },
        ]}
        rows={3}
      />,
    );
    const group = screen.getByRole('group', { name: 'Roles (loading)' });
    expect(group).toHaveAttribute('aria-busy', 'true');
    expect(within(group).getByRole('columnheader', { name: 'Grants' })).toBeInTheDocument();
    expect(within(group).getAllByRole('row')).toHaveLength(4);
  });
});
