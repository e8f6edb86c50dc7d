import { Empty, Typography } from 'antd';
import type { ReactNode } from 'react';

export interface EmptyStateProps {
  title: ReactNode;
  description?: ReactNode;
  /** What to do about it: a button or a link. */
  action?: ReactNode;
  /** A smaller picture, for tables and cards. */
  compact?: boolean;
}

/** Says that there is nothing here (yet), and what to do about it. */
export function EmptyState({ title, description, action, compact = false }: EmptyStateProps) {
  return (
    <div role="note" style={{ padding: compact ? 8 : 32 }}>
      <Empty
        image={compact ? Empty.PRESENTED_IMAGE_SIMPLE : Empty.PRESENTED_IMAGE_DEFAULT}
        description={
          <>
            <Typography.Text strong>{title}</Typography.Text>
            {description === undefined ? null : (
              <Typography.Paragraph type="secondary" style={{ marginTop: 4, marginBottom: 0 }}>
                {description}
              </Typography.Paragraph>
            )}
          </>
        }
      >
        {action}
      </Empty>
    </div>
  );
}
