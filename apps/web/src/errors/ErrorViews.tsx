import { ProblemDetails, toProblem } from '@backoffice/ui';
import { Button, Result } from 'antd';
import { Link } from 'react-router';
import { isHttpError } from '../api/client.ts';

export function AccessDenied({ detail }: { detail?: string | undefined }) {
  return (
    <Result
      status="403"
      title="Access denied"
      subTitle={
        detail ??
        'Your roles do not allow this. If you need it for your work, ask an administrator.'
      }
      extra={<Link to="/">Go to the start page</Link>}
    />
  );
}

export function NotFound({ what = 'page' }: { what?: string }) {
  return (
    <Result
      status="404"
      title="Not found"
      subTitle={`This ${what} does not exist, or no longer does.`}
      extra={<Link to="/">Go to the start page</Link>}
    />
  );
}

/**
 * What a screen shows instead of its content when loading it failed: access denied for 403, not found
 * for 404, otherwise the problem with its correlation id and a way to retry.
 */
export function ErrorView({
  error,
  onRetry,
  what,
}: {
  error: unknown;
  onRetry?: () => void;
  what?: string;
}) {
  if (isHttpError(error) && error.status === 403)
    return <AccessDenied detail={error.problem.detail} />;
  if (isHttpError(error) && error.status === 404)
    return <NotFound {...(what === undefined ? {} : { what })} />;
  const problem = toProblem(error);
  return (
    <Result
      status="error"
      title={problem.title}
      subTitle={<ProblemDetails problem={problem} />}
      extra={
        onRetry === undefined ? undefined : (
          <Button type="primary" onClick={onRetry}>
            Try again
          </Button>
        )
      }
    />
  );
}
