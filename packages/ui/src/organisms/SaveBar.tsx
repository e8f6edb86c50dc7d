import { Button, Card, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

export interface SaveBarProps {
  /** There are unsaved changes: the bar shows. */
  dirty: boolean;
  saving?: boolean;
  onSave: () => void;
  onDiscard: () => void;
  /** E.g. "3 permissions changed". */
  message?: ReactNode;
  saveLabel?: string;
  /** Keeps Save disabled (e.g. a required reason is missing). */
  saveDisabled?: boolean;
  /** Extra inputs that go with saving, such as a reason. */
  children?: ReactNode;
}

/** Sticks to the bottom of the page while there are unsaved changes. */
export function SaveBar({
  dirty,
  saving = false,
  onSave,
  onDiscard,
  message = 'You have unsaved changes',
  saveLabel = 'Save changes',
  saveDisabled = false,
  children,
}: SaveBarProps) {
  if (!dirty) return null;
  return (
    <div
      role="region"
      aria-label="Unsaved changes"
      style={{ position: 'sticky', bottom: 0, zIndex: 10, paddingTop: 8 }}
    >
      <Card size="small" style={{ boxShadow: '0 -2px 8px rgba(0, 0, 0, 0.15)' }}>
        <Flex align="center" justify="space-between" gap={12} wrap>
          <Typography.Text strong>{message}</Typography.Text>
          <div style={{ flex: '1 1 240px' }}>{children}</div>
          <Flex gap={8}>
            <Button onClick={onDiscard} disabled={saving}>
              Discard
            </Button>
            <Button type="primary" onClick={onSave} loading={saving} disabled={saveDisabled}>
              {saveLabel}
            </Button>
          </Flex>
        </Flex>
      </Card>
    </div>
  );
}
