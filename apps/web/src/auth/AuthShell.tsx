import { Card, Flex, Layout, Typography } from 'antd';
import type { ReactNode } from 'react';
import { ThemeToggle } from '../theme/ThemeProvider.tsx';

/** The frame of the screens before the application: sign-in, forced password change, enrolment. */
export function AuthShell({
  title,
  children,
  actions,
  width = 420,
}: {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
  width?: number;
}) {
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Flex justify="flex-end" align="center" gap={12} style={{ padding: 16 }}>
        {actions}
        <ThemeToggle />
      </Flex>
      <main style={{ display: 'flex', justifyContent: 'center', padding: '24px 16px' }}>
        <Card style={{ width: '100%', maxWidth: width }}>
          <Typography.Text type="secondary">Backoffice</Typography.Text>
          <Typography.Title level={1} style={{ fontSize: 24, marginTop: 4 }}>
            {title}
          </Typography.Title>
          {children}
        </Card>
      </main>
    </Layout>
  );
}
