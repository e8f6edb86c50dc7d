import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

/** Benchmarks print their figures on stdout; progress goes to stderr so the tables stay clean. */
export function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function progress(line: string): void {
  process.stderr.write(`  … ${line}\n`);
}

/** A Markdown table (pastes straight into bench/README.md), columns padded for the terminal. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const numeric = headers.map((_, i) =>
    rows.every((row) => /^[-+×~≈\d.,%\s]*$/.test(row[i] ?? '')),
  );
  const cell = (value: string, i: number) =>
    numeric[i] === true ? value.padStart(widths[i] ?? 0) : value.padEnd(widths[i] ?? 0);
  print(`| ${headers.map(cell).join(' | ')} |`);
  print(
    `| ${widths.map((w, i) => (numeric[i] === true ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`,
  );
  for (const row of rows) print(`| ${headers.map((_, i) => cell(row[i] ?? '', i)).join(' | ')} |`);
  print();
}

/** 12345.6 → "12,346"; with digits, fixed decimals. */
export function num(value: number, digits = 0): string {
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

export function ms(value: number): string {
  return value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0);
}

/** 0.19× ; below 0.1, two significant digits (0.0037×), so a small ratio never prints as 0.00×. */
export function ratio(value: number): string {
  return `${value !== 0 && Math.abs(value) < 0.1 ? value.toPrecision(2) : value.toFixed(2)}×`;
}

export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}

export interface EnvironmentFacts {
  postgres: string;
  extra?: Record<string, string>;
}

/** What a reader needs to judge the figures: the machine, its load, the database and the versions. */
export function printEnvironment(title: string, facts: EnvironmentFacts): void {
  const cpus = os.cpus();
  print(`# ${title}`);
  print();
  table(
    ['', ''],
    [
      ['date (UTC)', new Date().toISOString().replace(/\.\d+Z$/, 'Z')],
      ['command', `node --import tsx ${process.argv.slice(1).map(relative).join(' ')}`],
      ['CPUs', `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown'}`],
      ['memory', `${num(os.totalmem() / 2 ** 30, 1)} GiB`],
      ['load average (1/5/15 min) at start', loadAverage()],
      ['node', process.version],
      ['code', codeVersion()],
      ['PostgreSQL', facts.postgres],
      ...Object.entries(facts.extra ?? {}),
    ],
  );
}

/** The commit measured, and whether the server's code differs from it. */
function codeVersion(): string {
  const root = path.resolve(import.meta.dirname, '../..');
  try {
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', root, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    const changed = git(
      'status',
      '--porcelain',
      '--untracked-files=no',
      '--',
      'apps/server',
      'packages',
      'sandbox',
    );
    return `commit ${git('rev-parse', '--short', 'HEAD')}${changed === '' ? '' : ' with uncommitted changes in apps/server, packages or sandbox'}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

function relative(arg: string): string {
  const cwd = `${process.cwd()}/`;
  return arg.startsWith(cwd) ? arg.slice(cwd.length) : arg;
}

export function printLoadAtEnd(): void {
  print(
    `Load average (1/5/15 min) at the end: ${loadAverage()}. The run took ${num(process.uptime())} s.`,
  );
  print();
}
