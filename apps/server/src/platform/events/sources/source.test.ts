import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep } from './source.ts';

describe('sleep', () => {
  it('leaves no abort listener behind, however many back-offs share one signal', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 50; i++) await sleep(1, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('ends early when the signal aborts', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const waiting = sleep(10_000, controller.signal);
    setTimeout(() => controller.abort(), 20);
    await waiting;
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
