import userEvent from '@testing-library/user-event';

/**
 * Enters text as one paste (one input event): typing it key by key re-renders the screen for every
 * character, which on a busy machine takes seconds in jsdom. Use `userEvent.type` only where the
 * keystrokes are what the test is about.
 */
export async function fill(field: HTMLElement, text: string): Promise<void> {
  const user = userEvent.setup({ delay: null });
  await user.click(field);
  await user.paste(text);
}
