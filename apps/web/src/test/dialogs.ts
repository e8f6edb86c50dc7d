import { screen, waitFor } from '@testing-library/react';

/**
 * The open dialog (modal or drawer) with this title. Under NODE_ENV=test Ant Design gives every
 * dialog's title the same id, so `getByRole('dialog', { name })` cannot tell them apart in jsdom (the
 * browser tests use it: a production build has distinct ids).
 */
export function findDialog(title: string | RegExp): Promise<HTMLElement> {
  return waitFor(() => {
    const dialog = screen.queryAllByRole('dialog').find((candidate) => {
      const text = candidate.querySelector('.ant-modal-title, .ant-drawer-title')?.textContent;
      if (text === undefined || text === null) return false;
      return typeof title === 'string' ? text === title : title.test(text);
    });
    if (dialog === undefined) throw new Error(`no open dialog titled ${String(title)}`);
    return dialog;
  });
}
