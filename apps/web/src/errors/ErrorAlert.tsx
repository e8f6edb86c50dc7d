import { ProblemDetails, toProblem } from '@backoffice/ui';
import { Alert } from 'antd';

/** A failed action explained where it happened: title, detail and correlation id. */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  if (error === null || error === undefined) return null;
  const problem = toProblem(error);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={title ?? problem.title}
      description={<ProblemDetails problem={problem} />}
      style={{ marginBottom: 16 }}
    />
  );
}
