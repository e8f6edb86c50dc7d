import { LockOutlined } from '@ant-design/icons';
import { MASK } from '@backoffice/contracts';
import { VisuallyHidden } from '@backoffice/ui';
import { Alert, Typography } from 'antd';
import { isMasked } from '../format.ts';

const MASKED_WHY = 'Masked: seeing personal data needs the permission users:read_pii.';

/** Personal data the server masked for this person is shown as such, not as an error. */
export function PayloadView({ value, label }: { value: unknown; label: string }) {
  if (value === MASK) {
    return (
      <Alert
        type="info"
        showIcon
        title={`${label} masked`}
        description="It may hold personal data, which your roles do not allow you to see (users:read_pii)."
      />
    );
  }
  if (value === null || value === undefined)
    return <Typography.Text type="secondary">—</Typography.Text>;
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return (
    <pre
      aria-label={label}
      tabIndex={0}
      style={{
        maxHeight: 360,
        overflow: 'auto',
        margin: 0,
        padding: 12,
        fontSize: 12,
        borderRadius: 6,
        background: 'rgba(127,127,127,0.08)',
      }}
    >
      {text}
    </pre>
  );
}

/** A personal value (email, name, IP): as it is, or marked as masked when the server masked it. */
export function MaskedText({ value }: { value: string | null | undefined }) {
  if (value === null || value === undefined || value === '')
    return <Typography.Text type="secondary">—</Typography.Text>;
  if (!isMasked(value)) return <>{value}</>;
  return (
    <Typography.Text type="secondary" title={MASKED_WHY}>
      <LockOutlined aria-hidden /> {value} <VisuallyHidden>(masked)</VisuallyHidden>
    </Typography.Text>
  );
}
