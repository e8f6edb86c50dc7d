import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

export interface PageHeaderProps {
  title: ReactNode;
  subtitle?: ReactNode;
  /** Above the title: breadcrumbs or a back link. */
  breadcrumb?: ReactNode;
  /** Right of the title: the page's main actions. */
  actions?: ReactNode;
}

/** The page's title (its only h1) and its main actions. */
export function PageHeader({ title, subtitle, breadcrumb, actions }: PageHeaderProps) {
  return (
    <header style={{ marginBottom: 16 }}>
      {breadcrumb}
      <Flex justify="space-between" align="center" wrap gap={12}>
        <div>
          <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
            {title}
          </Typography.Title>
          {subtitle === undefined ? null : (
            <Typography.Text type="secondary">{subtitle}</Typography.Text>
          )}
        </div>
        {actions === undefined ? null : (
          <Flex gap={8} wrap>
            {actions}
          </Flex>
        )}
      </Flex>
    </header>
  );
}
