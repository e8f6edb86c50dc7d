import { act, render, screen } from '@testing-library/react';
import { App } from 'antd';
import { describe, expect, it } from 'vitest';
import { ProblemDetails, toProblem, useToast, type ToastApi } from './Toast.tsx';

function withToast(): { current: ToastApi | undefined } {
  const ref: { current: ToastApi | undefined } = { current: undefined };
  function Capture() {
    ref.current = useToast();
    return null;
  }
  render(
    <App>
      <Capture />
    </App>,
  );
  return ref;
}

describe('toProblem', () => {
  it('takes the problem an error carries', () => {
    const error = Object.assign(new Error('x'), {
      problem: { title: 'Not allowed', status: 403, correlationId: 'c-1' },
    });
    expect(toProblem(error)).toEqual({ title: 'Not allowed', status: 403, correlationId: 'c-1' });
  });

  it('turns a plain Error into a problem with its message as detail', () => {
    expect(toProblem(new Error('boom'), 'Export failed')).toEqual({
      title: 'Export failed',
      detail: 'boom',
    });
  });

  it('accepts a problem document as it is', () => {
    expect(toProblem({ title: 'Conflict', status: 409 })).toEqual({
      title: 'Conflict',
      status: 409,
    });
  });
});

describe('ProblemDetails', () => {
  it('shows the detail and the correlation id to quote', () => {
    render(
      <ProblemDetails problem={{ title: 'x', detail: 'It broke', correlationId: 'abc-123' }} />,
    );
    expect(screen.getByText('It broke')).toBeInTheDocument();
    expect(screen.getByText('abc-123')).toBeInTheDocument();
  });
});

describe('useToast', () => {
  it('shows a problem with its title, detail and correlation id', async () => {
    const toast = withToast();
    act(() =>
      toast.current?.problem({
        problem: {
          title: 'Service unavailable',
          status: 503,
          detail: 'The database is down',
          correlationId: 'corr-42',
        },
      }),
    );
    expect(await screen.findByText('Service unavailable')).toBeInTheDocument();
    expect(screen.getByText('The database is down')).toBeInTheDocument();
    expect(screen.getByText('corr-42')).toBeInTheDocument();
  });

  it('replaces an error with the same key instead of piling them up', async () => {
    const toast = withToast();
    act(() => toast.current?.problem(new Error('first'), { title: 'Poll failed', key: 'poll' }));
    expect(await screen.findByText('first')).toBeInTheDocument();
    act(() => toast.current?.problem(new Error('second'), { title: 'Poll failed', key: 'poll' }));
    expect(await screen.findByText('second')).toBeInTheDocument();
    expect(screen.queryByText('first')).not.toBeInTheDocument();
    expect(screen.getAllByText('Poll failed')).toHaveLength(1);
  });

  it('shows a success message', async () => {
    const toast = withToast();
    act(() => toast.current?.success('Role created', 'Support leads'));
    expect(await screen.findByText('Role created')).toBeInTheDocument();
    expect(screen.getByText('Support leads')).toBeInTheDocument();
  });
});
