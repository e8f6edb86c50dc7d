import { parseArgs } from 'node:util';

/**
 * The data sizes. `bench` is the issues' bench size (1M users, 10M transactions: about 21M events);
 * `small` is for trying a benchmark out in a minute; `medium` (about 2.1M events) is the largest stream
 * bench/ingest gets through in a few minutes per pipeline on a 2-core machine.
 */
export const SIZES = {
  small: { users: 10_000, transactions: 100_000 },
  medium: { users: 100_000, transactions: 1_000_000 },
  bench: { users: 1_000_000, transactions: 10_000_000 },
} as const;

export type Size = keyof typeof SIZES;

/**
 * Parses `--size small|medium|bench` plus a benchmark's own options (strings, read with `int()`), and prints
 * the usage on --help or a bad value.
 */
export function parseBenchArgs(
  usage: string,
  options: Record<string, { type: 'string' | 'boolean'; default?: string }>,
  defaultSize: Size = 'bench',
): { size: Size } & Record<string, unknown> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: defaultSize },
      help: { type: 'boolean', default: false },
      ...options,
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const size = values.size;
  if (size !== 'small' && size !== 'medium' && size !== 'bench')
    fail('--size must be small, medium or bench', usage);
  return { ...values, size };
}

/** An integer option: "1000000", "1e6", "1_000_000" and "1,000,000" all work. */
export function int(value: unknown, name: string, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) fail(`--${name} is required`);
    return fallback;
  }
  if (typeof value !== 'string') fail(`--${name} must be a whole number`);
  const parsed = Number(value.replaceAll(/[_,]/g, ''));
  if (!Number.isInteger(parsed) || parsed < 0) fail(`--${name} must be a whole number`);
  return parsed;
}

export function fail(message: string, usage?: string): never {
  process.stderr.write(`${message}\n${usage === undefined ? '' : `\n${usage}\n`}`);
  process.exit(2);
}
