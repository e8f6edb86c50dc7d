import { Spin } from 'antd';
import { VisuallyHidden } from './VisuallyHidden.tsx';

export interface SpinnerProps {
  /** What is loading, for screen readers. */
  label?: string;
  size?: 'small' | 'medium' | 'large';
}

/** An indeterminate progress indicator that announces itself. Prefer skeletons for page content. */
export function Spinner({ label = 'Loading', size = 'medium' }: SpinnerProps) {
  return (
    <span role="status" aria-live="polite" style={{ display: 'inline-flex' }}>
      <Spin size={size} />
      <VisuallyHidden>{label}</VisuallyHidden>
    </span>
  );
}
