import { render, screen } from '@testing-library/react';
import { Input, Select } from 'antd';
import { describe, expect, it } from 'vitest';
import { FormField } from './FormField.tsx';

describe('FormField', () => {
  it('names its control with the label and describes it with the help', () => {
    render(
      <FormField label="Email" help="We never share it">
        <Input />
      </FormField>,
    );
    const input = screen.getByLabelText('Email');
    expect(input).toHaveAccessibleDescription('We never share it');
    expect(input).not.toHaveAttribute('aria-invalid');
  });

  it('marks the control invalid and describes it with the error instead of the help', () => {
    render(
      <FormField label="Email" help="We never share it" error="Not an email address" required>
        <Input />
      </FormField>,
    );
    const input = screen.getByLabelText(/Email/);
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAttribute('aria-required', 'true');
    expect(input).toHaveAccessibleDescription('Not an email address');
    expect(screen.queryByText('We never share it')).not.toBeInTheDocument();
  });

  it('labels an Ant Design select', () => {
    render(
      <FormField label="Role">
        <Select options={[{ value: 'a', label: 'A' }]} />
      </FormField>,
    );
    expect(screen.getByRole('combobox', { name: 'Role' })).toBeInTheDocument();
  });

  it('labels a native control with the given id', () => {
    render(
      <FormField label="Notes" id="notes">
        <textarea />
      </FormField>,
    );
    expect(screen.getByLabelText('Notes')).toHaveAttribute('id', 'notes');
  });
});
