import { Typography } from 'antd';
import type { ReactElement, ReactNode } from 'react';
import { cloneElement, isValidElement, useId } from 'react';

interface ControlProps {
  id?: string;
  status?: 'error';
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
  'aria-required'?: boolean;
}

export interface FormFieldProps {
  label: ReactNode;
  /** The control: an Ant Design input, select, switch… or a native element. It receives the id. */
  children: ReactElement<ControlProps>;
  /** A message that the value is wrong; replaces the help. */
  error?: string | undefined;
  help?: ReactNode;
  required?: boolean;
  /** The control's id; generated when absent. */
  id?: string;
}

/**
 * A label, its control, and the help or error under it — wired for assistive technology: the label
 * names the control, the help or error describes it, and an error marks it invalid.
 */
export function FormField({ label, children, error, help, required = false, id }: FormFieldProps) {
  const generated = useId();
  const controlId = id ?? generated;
  const messageId = `${controlId}-message`;
  const hasMessage = error !== undefined || help !== undefined;
  const control: ReactElement<ControlProps> = isValidElement(children)
    ? cloneElement(children, {
        id: controlId,
        ...(typeof children.type === 'string' || error === undefined ? {} : { status: 'error' }),
        ...(error === undefined ? {} : { 'aria-invalid': true }),
        ...(hasMessage ? { 'aria-describedby': messageId } : {}),
        ...(required ? { 'aria-required': true } : {}),
      })
    : children;
  return (
    <div style={{ marginBottom: 16 }}>
      <label htmlFor={controlId} style={{ display: 'block', marginBottom: 4 }}>
        {label}
        {required ? (
          <Typography.Text type="danger" aria-hidden>
            {' *'}
          </Typography.Text>
        ) : null}
      </label>
      {control}
      {error === undefined ? null : (
        <div>
          <Typography.Text type="danger" id={messageId}>
            {error}
          </Typography.Text>
        </div>
      )}
      {error === undefined && help !== undefined ? (
        <div>
          <Typography.Text type="secondary" id={messageId}>
            {help}
          </Typography.Text>
        </div>
      ) : null}
    </div>
  );
}
