import fs from 'node:fs/promises';
import path from 'node:path';

/** A signed checkpoint as exported outside the database, one JSON file each. */
export interface ExportedCheckpoint {
  seq: number;
  hash: string;
  signedAt: string;
  keyId: string;
  signature: string;
}

const FILE = /^audit-checkpoint-(\d+)\.json$/;
const fileName = (seq: number) => `audit-checkpoint-${String(seq).padStart(16, '0')}.json`;

/**
 * Writes a checkpoint's file unless it exists already (several instances may export the same one, with
 * the same content). Written to a temporary name then renamed, so a reader never sees half a file.
 */
export async function writeCheckpointFile(
  dir: string,
  checkpoint: ExportedCheckpoint,
): Promise<void> {
  const target = path.join(dir, fileName(checkpoint.seq));
  const exists = await fs.stat(target).then(
    () => true,
    () => false,
  );
  if (exists) return;
  const temporary = `${target}.${process.pid}.tmp`;
  await fs.writeFile(temporary, `${JSON.stringify(checkpoint)}\n`, { mode: 0o644 });
  await fs.rename(temporary, target);
}

/** The highest seq exported to `dir` (0 when none), to export only what came after it. */
export async function lastExportedSeq(dir: string): Promise<number> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return names.reduce((max, name) => Math.max(max, Number(FILE.exec(name)?.[1] ?? 0)), 0);
}

function isCheckpoint(value: unknown): value is ExportedCheckpoint {
  const c = value as Partial<Record<keyof ExportedCheckpoint, unknown>> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    Number.isSafeInteger(c.seq) &&
    typeof c.hash === 'string' &&
    typeof c.signedAt === 'string' &&
    typeof c.keyId === 'string' &&
    typeof c.signature === 'string'
  );
}

/**
 * Every checkpoint exported to `dir`, in seq order. A folder not created yet holds none; a file that is
 * not a checkpoint (cut short, or anyone's JSON) is left out, as a forged one is by its signature: the
 * verification must report on the trail, not stop at a bad file.
 */
export async function readCheckpointFiles(dir: string): Promise<ExportedCheckpoint[]> {
  const names = (await fs.readdir(dir).catch(() => [] as string[]))
    .filter((name) => FILE.test(name))
    .sort();
  const read = await Promise.all(
    names.map(async (name) => {
      try {
        const parsed: unknown = JSON.parse(await fs.readFile(path.join(dir, name), 'utf8'));
        return isCheckpoint(parsed) ? parsed : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  return read.filter((c): c is ExportedCheckpoint => c !== undefined);
}
