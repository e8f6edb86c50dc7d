import { App, Typography, notification as staticNotification } from 'antd';
import type { ReactNode } from 'react';
import { useMemo } from 'react';
import type { ProblemLike } from '../types.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isProblem(value: unknown): value is ProblemLike {
  return isRecord(value) && typeof value.title === 'string';
}

/**
 * What to show for an error: a problem document, something carrying one (`error.problem`, like the web
 * app's HttpError), or any Error.
 */
export function toProblem(error: unknown, fallbackTitle = 'Something went wrong'): ProblemLike {
  if (isRecord(error) && isProblem(error.problem)) return error.problem;
  if (isProblem(error) && !(error instanceof Error)) return error;
  if (error instanceof Error) return { title: fallbackTitle, detail: error.message };
  return { title: fallbackTitle };
}

/** A problem's explanation and the reference to quote when reporting it. */
export function ProblemDetails({ problem }: { problem: ProblemLike }) {
  return (
    <div>
      {problem.detail === undefined || problem.detail === '' ? null : (
        <Typography.Paragraph style={{ marginBottom: 4 }}>{problem.detail}</Typography.Paragraph>
      )}
      {problem.correlationId === undefined ? null : (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          Reference:{' '}
          <Typography.Text code copyable={{ text: problem.correlationId }}>
            {problem.correlationId}
          </Typography.Text>
        </Typography.Text>
      )}
    </div>
  );
}

export interface ToastApi {
  success(title: ReactNode, description?: ReactNode): void;
  info(title: ReactNode, description?: ReactNode): void;
  warning(title: ReactNode, description?: ReactNode): void;
  /**
   * Shows an error: its title, detail and correlation id; stays until dismissed. Errors with the same
   * `key` replace each other instead of piling up (a poll that keeps failing).
   */
  problem(error: unknown, options?: { title?: string; key?: string }): void;
}

/**
 * Notifications in the corner of the screen. Inside Ant Design's `<App>` they follow the theme (dark
 * mode); outside it they fall back to the static API.
 */
export function useToast(): ToastApi {
  const { notification } = App.useApp();
  return useMemo(() => {
    const api = (notification as typeof notification | undefined) ?? staticNotification;
    const show =
      (kind: 'success' | 'info' | 'warning') => (title: ReactNode, description?: ReactNode) =>
        api[kind]({ title, description, placement: 'bottomRight', duration: 4 });
    return {
      success: show('success'),
      info: show('info'),
      warning: show('warning'),
      problem(error: unknown, options: { title?: string; key?: string } = {}) {
        const problem = toProblem(error, options.title);
        api.error({
          ...(options.key === undefined ? {} : { key: options.key }),
          title: problem.title,
          description: <ProblemDetails problem={problem} />,
          placement: 'bottomRight',
          duration: 0,
          role: 'alert',
        });
      },
    };
  }, [notification]);
}
