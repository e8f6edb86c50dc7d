import { DatabaseOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Flex, Layout, Menu, Typography, theme } from 'antd';
import type { MenuProps } from 'antd';
import { useState, type ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth/AuthProvider.tsx';
import { resources } from '../resources/index.ts';
import { useDeclaredResources } from '../resources/declared/queries.ts';
import { ThemeToggle } from '../theme/ThemeProvider.tsx';
import { ConnectionIndicator, ConnectionStatusProvider } from './ConnectionStatus.tsx';

type MenuItem = Required<MenuProps>['items'][number];

/** A menu entry: a screen of the UI, or a resource a pack declares (under "Records"). */
interface MenuEntry {
  path: string;
  label: string;
  icon?: ReactNode;
  group?: 'Records' | 'Access' | 'System' | undefined;
}

function menuItems(visible: readonly MenuEntry[]): MenuItem[] {
  const item = (r: MenuEntry): MenuItem => ({ key: r.path, icon: r.icon, label: r.label });
  const items: MenuItem[] = visible.filter((r) => r.group === undefined).map(item);
  for (const group of ['Records', 'Access', 'System'] as const) {
    const children = visible.filter((r) => r.group === group).map(item);
    if (children.length > 0) items.push({ type: 'group', key: group, label: group, children });
  }
  return items;
}

/** The longest resource path the location is under. */
export function selectedPath(
  pathname: string,
  visible: readonly Pick<MenuEntry, 'path'>[],
): string[] {
  const match = visible
    .map((r) => r.path)
    .filter((path) =>
      path === '/' ? pathname === '/' : pathname === path || pathname.startsWith(`${path}/`),
    )
    .sort((a, b) => b.length - a.length)[0];
  return match === undefined ? [] : [match];
}

/** Sidebar navigation (only what the person may use), header with who, connection, theme, sign-out. */
export function AppLayout() {
  const { me, canAccess, signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const { token } = theme.useToken();
  const declared = useDeclaredResources();
  const visible: MenuEntry[] = [
    ...resources.filter((r) => r.inMenu !== false && r.access(canAccess)),
    ...(declared.data ?? []).map((r) => ({
      path: `/records/${r.name}`,
      label: r.title,
      icon: <DatabaseOutlined aria-hidden />,
      group: 'Records' as const,
    })),
  ];

  return (
    <ConnectionStatusProvider>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Sider
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          breakpoint="lg"
          theme="light"
          style={{ borderInlineEnd: `1px solid ${token.colorSplit}` }}
        >
          <Link
            to="/"
            style={{ display: 'block', padding: '16px 24px', fontWeight: 600, fontSize: 18 }}
            aria-label="Backoffice home"
          >
            {collapsed ? 'B' : 'Backoffice'}
          </Link>
          <nav aria-label="Main">
            <Menu
              mode="inline"
              items={menuItems(visible)}
              selectedKeys={selectedPath(location.pathname, visible)}
              onClick={({ key }) => void navigate(key)}
              style={{ borderInlineEnd: 'none' }}
            />
          </nav>
        </Layout.Sider>
        <Layout>
          <Layout.Header
            style={{
              background: token.colorBgContainer,
              borderBottom: `1px solid ${token.colorSplit}`,
              paddingInline: 24,
            }}
          >
            <Flex justify="flex-end" align="center" gap={16} style={{ height: '100%' }}>
              <ConnectionIndicator />
              <ThemeToggle />
              <Link
                to="/account"
                aria-label={`Your account: ${me?.user.name ?? me?.user.email ?? ''}`}
              >
                <Typography.Text>
                  <UserOutlined aria-hidden /> {me?.user.name ?? me?.user.email}
                </Typography.Text>
              </Link>
              <Button icon={<LogoutOutlined aria-hidden />} onClick={() => void signOut()}>
                Sign out
              </Button>
            </Flex>
          </Layout.Header>
          <Layout.Content style={{ padding: 24 }}>
            <main>
              <Outlet />
            </main>
          </Layout.Content>
        </Layout>
      </Layout>
    </ConnectionStatusProvider>
  );
}
