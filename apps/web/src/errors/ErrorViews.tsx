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

/** Where the list of a kind of thing is: a missing one is looked for there. */
export interface ListLink {
  to: string;
  label: string;
}

export function NotFound({ what = 'page', list }: { what?: string; list?: ListLink | undefined }) {
  return (
    <Result
      status="404"
      title={list === undefined ? 'Not found' : `No ${what} with that id`}
      subTitle={`This ${what} does not exist, or no longer does.`}
      extra={
        list === undefined ? (
          <Link to="/">Go to the start page</Link>
        ) : (
          <Link to={list.to}>{list.label}</Link>
        )
      }
    />
  );
}

/**
 * The thing named in the address is not there: the server does not have it (404), or the address
 * cannot name one (its path parameter is malformed, e.g. an id that is no id). Retrying cannot help.
 */
function isMissing(error: unknown): boolean {
  if (!isHttpError(error)) return false;
  if (error.status === 404) return true;
  const errors = error.problem.errors;
  return (
    error.status === 400 &&
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every((e) => e.location === 'params')
  );
}

/**
 * What a screen shows instead of its content when loading it failed: access denied for 403, not found
 * for a missing thing (with the way to its list), otherwise the problem with its correlation id and a way to retry.
 */
export function ErrorView({
  error,
  onRetry,
  what,
  list,
}: {
  error: unknown;
  onRetry?: () => void;
  what?: string;
  /** The list to go to when the thing is missing. */
  list?: ListLink;
}) {
  if (isHttpError(error) && error.status === 403)
    return <AccessDenied detail={error.problem.detail} />;
  if (isMissing(error)) return <NotFound {...(what === undefined ? {} : { what })} list={list} />;
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
