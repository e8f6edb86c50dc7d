import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { generateEvents } from '@backoffice/sandbox';
import { SIZES, type Size } from './args.ts';
import { progress } from './report.ts';

export const BENCH_DIR = path.resolve(import.meta.dirname, '..');
/** Cached data (git-ignored: `.data/` is in .gitignore). */
export const DATA_DIR = path.join(BENCH_DIR, '.data');
export const REPO_ROOT = path.resolve(BENCH_DIR, '..');

export const SEED = 42;

export interface EventFile {
  path: string;
  users: number;
  transactions: number;
  seed: number;
  /** The end of the generated history ("now" in the generated world). */
  end: string;
  events: number;
  bytes: number;
}

/**
 * The sandbox generator's event stream for a size, as NDJSON (one envelope per line, exactly
 * JSON.stringify of what `generateEvents` yields — the bytes `npm run sandbox -- generate` writes).
 * Generated once (bench size: about 9 minutes, 13 GB) and reused; its end is the UTC midnight of the day
 * it was generated, recorded next to it.
 */
export async function eventFile(size: Size): Promise<EventFile> {
  const { users, transactions } = SIZES[size];
  const file = path.join(DATA_DIR, `events-u${users}-t${transactions}-s${SEED}.ndjson`);
  const metaFile = `${file}.json`;
  if (fs.existsSync(metaFile) && fs.existsSync(file))
    return { ...(JSON.parse(fs.readFileSync(metaFile, 'utf8')) as EventFile), path: file };

  fs.mkdirSync(DATA_DIR, { recursive: true });
  const end = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  progress(
    `generating the ${size} event stream (${users} users, ${transactions} transactions) into ${file}`,
  );
  const partial = `${file}.partial`;
  const out = fs.createWriteStream(partial);
  const started = performance.now();
  let lastReport = started;
  let events = 0;
  let buffer = '';
  for (const event of generateEvents({ users, transactions, seed: SEED, end })) {
    buffer += `${JSON.stringify(event)}\n`;
    events++;
    if (buffer.length >= 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        progress(`${events.toLocaleString('en-US')} events generated`);
      }
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  const meta: EventFile = {
    path: file,
    users,
    transactions,
    seed: SEED,
    end: end.toISOString(),
    events,
    bytes: fs.statSync(partial).size,
  };
  fs.writeFileSync(metaFile, `${JSON.stringify(meta, null, 2)}\n`);
  fs.renameSync(partial, file);
  progress(`generated ${events} events in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return meta;
}

/** The file's lines (one envelope each), at most `limit`, in batches of `batchSize`. */
export async function* eventBatches(
  file: string,
  batchSize: number,
  limit = Number.POSITIVE_INFINITY,
): AsyncGenerator<string[]> {
  let rest = '';
  let batch: string[] = [];
  let count = 0;
  for await (const chunk of fs.createReadStream(file, {
    encoding: 'utf8',
    highWaterMark: 4 << 20,
  })) {
    const lines = (rest + (chunk as string)).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') continue;
      batch.push(line);
      if (++count >= limit) {
        yield batch;
        return;
      }
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  if (rest !== '') batch.push(rest);
  if (batch.length > 0) yield batch;
}
