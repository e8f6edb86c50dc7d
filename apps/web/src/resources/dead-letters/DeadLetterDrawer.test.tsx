import { describe, expect, it } from 'vitest';
import type { ReplayResult } from '../../api/types.ts';
import { replayMessage } from './DeadLetterDrawer.tsx';

describe('replayMessage', () => {
  const deadLetter = {
    reason: 'invalid_payload',
    detail: 'still broken',
  } as ReplayResult['deadLetter'];
  it('says what the replay did', () => {
    expect(replayMessage({ replayed: true, duplicate: false, deadLetter })).toMatch(/read model/);
    expect(replayMessage({ replayed: true, duplicate: true, deadLetter })).toMatch(/already/);
    expect(replayMessage({ replayed: false, duplicate: false, deadLetter })).toBe(
      'It failed again and stays pending: invalid_payload — still broken',
    );
  });
});
