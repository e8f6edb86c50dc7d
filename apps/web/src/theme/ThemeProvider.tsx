import { MoonOutlined, SunOutlined } from '@ant-design/icons';
import { App as AntApp, ConfigProvider, Switch, theme } from 'antd';
import type { ReactNode } from 'react';
import { createContext, useContext, useEffect, useMemo, useState } from 'react';

export type ThemeMode = 'light' | 'dark';

/** Where the choice is remembered; without one, the system's preference applies. */
export const THEME_KEY = 'backoffice.theme';

interface ThemeModeContextValue {
  mode: ThemeMode;
  setMode: (mode: ThemeMode) => void;
}

const ThemeModeContext = createContext<ThemeModeContextValue>({
  mode: 'light',
  setMode: () => undefined,
});

function initialMode(): ThemeMode {
  const stored = window.localStorage.getItem(THEME_KEY);
  if (stored === 'light' || stored === 'dark') return stored;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Ant Design's theme (light or dark algorithm) and its `<App>` context for notifications. */
export function ThemeProvider({ children }: { children: ReactNode }) {
  const [mode, setModeState] = useState<ThemeMode>(initialMode);

  useEffect(() => {
    document.documentElement.dataset.theme = mode;
    document.documentElement.style.colorScheme = mode;
  }, [mode]);

  const value = useMemo(
    () => ({
      mode,
      setMode: (next: ThemeMode) => {
        window.localStorage.setItem(THEME_KEY, next);
        setModeState(next);
      },
    }),
    [mode],
  );

  return (
    <ThemeModeContext value={value}>
      <ConfigProvider
        theme={{ algorithm: mode === 'dark' ? theme.darkAlgorithm : theme.defaultAlgorithm }}
      >
        <AntApp>{children}</AntApp>
      </ConfigProvider>
    </ThemeModeContext>
  );
}

export function useThemeMode(): ThemeModeContextValue {
  return useContext(ThemeModeContext);
}

export function ThemeToggle() {
  const { mode, setMode } = useThemeMode();
  return (
    <Switch
      aria-label="Dark mode"
      checked={mode === 'dark'}
      checkedChildren={<MoonOutlined aria-hidden />}
      unCheckedChildren={<SunOutlined aria-hidden />}
      onChange={(dark) => setMode(dark ? 'dark' : 'light')}
    />
  );
}
