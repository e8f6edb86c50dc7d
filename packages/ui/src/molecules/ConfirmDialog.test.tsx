import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';

/**
 * Each keystroke re-renders the whole Ant Design modal, which on a busy machine takes long enough to
 * run past a test's time: `type` only the word the dialog asks to type, and paste longer text (one
 * input event, as a real paste). No delay between events: the tests are not about timing.
 */
const user = () => userEvent.setup({ delay: null });
async function paste(field: HTMLElement, text: string) {
  const actions = user();
  await actions.click(field);
  await actions.paste(text);
}
import {
  ConfirmDialog,
  useConfirm,
  type ConfirmRequest,
  type ConfirmValues,
} from './ConfirmDialog.tsx';

describe('ConfirmDialog', () => {
  it('says what will happen and confirms with no input when none is asked', async () => {
    const onConfirm = vi.fn();
    render(
      <ConfirmDialog
        open
        title="Revoke session?"
        consequences="They will be signed out."
        confirmLabel="Revoke"
        onConfirm={onConfirm}
        onCancel={() => undefined}
      />,
    );
    expect(screen.getByRole('dialog', { name: 'Revoke session?' })).toHaveTextContent(
      'They will be signed out.',
    );
    await user().click(screen.getByRole('button', { name: 'Revoke' }));
    expect(onConfirm).toHaveBeenCalledWith({});
  });

  it('works only once the word is typed, the reason given and the code entered', async () => {
    const onConfirm = vi.fn();
    render(
      <ConfirmDialog
        open
        title="Block user?"
        consequences="They cannot sign in."
        confirmLabel="Block"
        danger
        typedConfirmation="BLOCK"
        reason="required"
        totp
        onConfirm={onConfirm}
        onCancel={() => undefined}
      />,
    );
    const confirm = screen.getByRole('button', { name: 'Block' });
    expect(confirm).toBeDisabled();
    await user().type(screen.getByLabelText(/to confirm/), 'BLOCK');
    expect(confirm).toBeDisabled();
    await paste(screen.getByLabelText(/Reason/), 'Fraud report #12');
    expect(confirm).toBeDisabled();
    await paste(screen.getByLabelText(/Authenticator code/), '123456');
    expect(confirm).toBeEnabled();
    await user().click(confirm);
    expect(onConfirm).toHaveBeenCalledWith({ reason: 'Fraud report #12', totp: '123456' });
  });

  it('refuses a reason shorter than the minimum', async () => {
    render(
      <ConfirmDialog
        open
        title="Discard?"
        consequences="Gone."
        confirmLabel="Discard"
        reason="required"
        reasonMinLength={5}
        onConfirm={() => undefined}
        onCancel={() => undefined}
      />,
    );
    await paste(screen.getByLabelText(/Reason/), 'abcd');
    expect(screen.getByRole('button', { name: 'Discard' })).toBeDisabled();
    await user().type(screen.getByLabelText(/Reason/), 'e');
    expect(screen.getByRole('button', { name: 'Discard' })).toBeEnabled();
  });

  it('shows why the last attempt failed, with the correlation id', () => {
    render(
      <ConfirmDialog
        open
        title="Delete?"
        consequences="Gone."
        error={{ problem: { title: 'Conflict', detail: 'Still assigned', correlationId: 'c-9' } }}
        onConfirm={() => undefined}
        onCancel={() => undefined}
      />,
    );
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent('Still assigned');
    expect(dialog).toHaveTextContent('c-9');
  });
});

describe('useConfirm', () => {
  function Harness({
    request,
    onResult,
  }: {
    request: ConfirmRequest;
    onResult: (v: ConfirmValues | null) => void;
  }) {
    const [confirm, dialog] = useConfirm();
    const [, setCount] = useState(0);
    return (
      <>
        <button
          type="button"
          onClick={() => {
            void confirm(request).then(onResult);
            setCount((n) => n + 1);
          }}
        >
          Open
        </button>
        {dialog}
      </>
    );
  }

  it('resolves with the values when confirmed and null when cancelled', async () => {
    const actions = user();
    const onResult = vi.fn();
    render(
      <Harness
        request={{
          title: 'Disable?',
          consequences: 'x',
          reason: 'required',
          confirmLabel: 'Disable',
        }}
        onResult={onResult}
      />,
    );
    await actions.click(screen.getByRole('button', { name: 'Open' }));
    await paste(await screen.findByLabelText(/Reason/), 'left the company');
    await actions.click(screen.getByRole('button', { name: 'Disable' }));
    await waitFor(() => expect(onResult).toHaveBeenCalledWith({ reason: 'left the company' }));

    await actions.click(screen.getByRole('button', { name: 'Open' }));
    await actions.click(await screen.findByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(onResult).toHaveBeenLastCalledWith(null));
  });

  it('keeps the dialog open with the error when the action fails, and closes once it succeeds', async () => {
    const actions = user();
    const onResult = vi.fn();
    const action = vi
      .fn<(values: ConfirmValues) => Promise<unknown>>()
      .mockRejectedValueOnce({ problem: { title: 'Conflict', detail: 'Try again later' } })
      .mockResolvedValueOnce(undefined);
    render(
      <Harness
        request={{ title: 'Replay?', consequences: 'x', confirmLabel: 'Replay', action }}
        onResult={onResult}
      />,
    );
    await actions.click(screen.getByRole('button', { name: 'Open' }));
    await actions.click(await screen.findByRole('button', { name: 'Replay' }));
    expect(await screen.findByText('Try again later')).toBeInTheDocument();
    expect(onResult).not.toHaveBeenCalled();
    await actions.click(screen.getByRole('button', { name: 'Replay' }));
    await waitFor(() => expect(onResult).toHaveBeenCalledWith({}));
    expect(action).toHaveBeenCalledTimes(2);
  });
});
