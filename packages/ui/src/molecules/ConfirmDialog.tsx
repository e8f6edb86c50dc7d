import { Alert, Button, Input, Modal, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { toProblem } from './Toast.tsx';
import { FormField } from './FormField.tsx';

/** What the person entered to confirm. */
export interface ConfirmValues {
  reason?: string;
  /** The authenticator code, when the action needs step-up. */
  totp?: string;
}

export interface ConfirmOptions {
  title: ReactNode;
  /** What will happen, in plain words. */
  consequences: ReactNode;
  confirmLabel?: string;
  /** Destructive: the confirm button is red. */
  danger?: boolean;
  /** A word to type before the button works, e.g. "BLOCK". */
  typedConfirmation?: string;
  /** Ask for a reason (recorded in the audit trail). */
  reason?: 'required' | 'optional';
  reasonLabel?: string;
  reasonMinLength?: number;
  /** Ask for an authenticator code (the action needs a recent second factor). */
  totp?: boolean;
}

export interface ConfirmDialogProps extends ConfirmOptions {
  open: boolean;
  /** The action is running: the buttons wait. */
  busy?: boolean;
  /** Why the last attempt failed; the dialog stays open. */
  error?: unknown;
  onConfirm: (values: ConfirmValues) => void;
  onCancel: () => void;
}

const CODE = /^(\d{6}|[A-Za-z0-9-]{8,32})$/;

/**
 * Makes a dangerous action deliberate: says what will happen, and can ask to type a word, give a reason
 * and prove the second factor before the confirm button works.
 */
export function ConfirmDialog({
  open,
  title,
  consequences,
  confirmLabel = 'Confirm',
  danger = false,
  typedConfirmation,
  reason,
  reasonLabel = 'Reason',
  reasonMinLength = 3,
  totp = false,
  busy = false,
  error,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const [typed, setTyped] = useState('');
  const [reasonText, setReasonText] = useState('');
  const [code, setCode] = useState('');
  const formId = useId();

  useEffect(() => {
    if (open) {
      setTyped('');
      setReasonText('');
      setCode('');
    }
  }, [open]);

  const typedOk = typedConfirmation === undefined || typed.trim() === typedConfirmation;
  const reasonOk =
    reason !== 'required' ? true : reasonText.trim().length >= Math.max(1, reasonMinLength);
  const codeOk = !totp || CODE.test(code.trim());
  const valid = typedOk && reasonOk && codeOk;

  const submit = () => {
    if (!valid || busy) return;
    const values: ConfirmValues = {};
    if (reason !== undefined && reasonText.trim() !== '') values.reason = reasonText.trim();
    if (totp) values.totp = code.trim();
    onConfirm(values);
  };

  const problem = error === undefined || error === null ? undefined : toProblem(error);

  return (
    <Modal
      open={open}
      title={title}
      onCancel={busy ? undefined : onCancel}
      mask={{ closable: !busy }}
      keyboard={!busy}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onCancel} disabled={busy}>
          Cancel
        </Button>,
        <Button
          key="confirm"
          type="primary"
          danger={danger}
          htmlType="submit"
          form={formId}
          disabled={!valid}
          loading={busy}
        >
          {confirmLabel}
        </Button>,
      ]}
    >
      <form
        id={formId}
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <div style={{ marginBottom: 16 }}>{consequences}</div>
        {typedConfirmation === undefined ? null : (
          <FormField
            label={
              <>
                Type <Typography.Text code>{typedConfirmation}</Typography.Text> to confirm
              </>
            }
          >
            <Input
              value={typed}
              autoComplete="off"
              autoFocus
              onChange={(event) => setTyped(event.target.value)}
            />
          </FormField>
        )}
        {reason === undefined ? null : (
          <FormField
            label={reasonLabel}
            required={reason === 'required'}
            help={
              reason === 'required'
                ? `At least ${reasonMinLength} characters; recorded with the change.`
                : 'Recorded with the change.'
            }
          >
            <Input.TextArea
              value={reasonText}
              rows={3}
              maxLength={1000}
              autoFocus={typedConfirmation === undefined}
              onChange={(event) => setReasonText(event.target.value)}
            />
          </FormField>
        )}
        {totp ? (
          <FormField
            label="Authenticator code"
            required
            help="The 6-digit code, or a recovery code."
          >
            <Input
              value={code}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={32}
              autoFocus={typedConfirmation === undefined && reason === undefined}
              onChange={(event) => setCode(event.target.value)}
            />
          </FormField>
        ) : null}
        {problem === undefined ? null : (
          <Alert
            type="error"
            showIcon
            title={problem.title}
            description={
              <>
                {problem.detail}
                {problem.correlationId === undefined ? null : (
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      Reference: {problem.correlationId}
                    </Typography.Text>
                  </div>
                )}
              </>
            }
          />
        )}
      </form>
    </Modal>
  );
}

export interface ConfirmRequest extends ConfirmOptions {
  /**
   * Runs the action with the values; the dialog shows progress, stays open with the error if it fails
   * (the person may retry or cancel), and closes when it succeeds.
   */
  action?: (values: ConfirmValues) => Promise<unknown>;
}

interface Pending {
  request: ConfirmRequest;
  resolve: (values: ConfirmValues | null) => void;
}

/**
 * `const [confirm, dialog] = useConfirm()`: render `dialog`, then `await confirm({...})` resolves with
 * the values entered once confirmed (and the action, if given, succeeded), or null if cancelled.
 */
export function useConfirm(): [
  (request: ConfirmRequest) => Promise<ConfirmValues | null>,
  ReactNode,
] {
  const [pending, setPending] = useState<Pending | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  const confirm = useCallback(
    (request: ConfirmRequest) =>
      new Promise<ConfirmValues | null>((resolve) => {
        setError(undefined);
        setBusy(false);
        setPending({ request, resolve });
      }),
    [],
  );

  const close = (values: ConfirmValues | null) => {
    pending?.resolve(values);
    setPending(undefined);
    setBusy(false);
  };

  const onConfirm = (values: ConfirmValues) => {
    const action = pending?.request.action;
    if (action === undefined) {
      close(values);
      return;
    }
    setBusy(true);
    setError(undefined);
    action(values).then(
      () => {
        if (mounted.current) close(values);
      },
      (failure: unknown) => {
        if (!mounted.current) return;
        setBusy(false);
        setError(failure ?? new Error('The action failed'));
      },
    );
  };

  const { action: _action, ...options } = pending?.request ?? { title: '', consequences: null };
  const dialog = (
    <ConfirmDialog
      {...options}
      open={pending !== undefined}
      busy={busy}
      error={error}
      onConfirm={onConfirm}
      onCancel={() => close(null)}
    />
  );
  return [confirm, dialog];
}
