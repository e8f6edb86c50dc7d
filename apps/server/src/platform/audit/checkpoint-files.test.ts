import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCheckpointFiles, writeCheckpointFile } from './checkpoint-files.ts';

describe('readCheckpointFiles', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'backoffice-checkpoints-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('finds none in a folder that does not exist yet', async () => {
    expect(await readCheckpointFiles(path.join(dir, 'not-yet'))).toEqual([]);
  });

  it('leaves out files that are not checkpoints instead of failing the verification', async () => {
    const good = {
      seq: 7,
      hash: 'ab',
      signedAt: '2026-12-03T00:00:00.000Z',
      keyId: 'k',
      signature: 's',
    };
    await writeCheckpointFile(dir, good);
    await fs.writeFile(path.join(dir, 'audit-checkpoint-0000000000000008.json'), '{"seq": 8, "ha');
    await fs.writeFile(
      path.join(dir, 'audit-checkpoint-0000000000000009.json'),
      JSON.stringify({ seq: 9, hash: 'cd', signature: 42 }),
    );
    expect(await readCheckpointFiles(dir)).toEqual([good]);
  });
});
