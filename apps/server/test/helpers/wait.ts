/**
 * Waits until `check` holds, asking every 50 ms: tests wait for conditions, not fixed times. The
 * deadline is generous (a busy, shared machine), and only there to turn a hang into a failure.
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
