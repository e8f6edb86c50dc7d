import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { validEvent } from './helpers/events.ts';
import { freshDatabaseUrl } from './helpers/database.ts';
import { waitFor } from './helpers/wait.ts';

const MAIN = path.resolve(import.meta.dirname, '../src/main.ts');

function sandboxCli(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...process.env, SANDBOX_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function run(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = sandboxCli(args);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** `npm run sandbox` as the backoffice's demo mode will spawn it. */
describe('the sandbox command', () => {
  const database = freshDatabaseUrl();
  afterAll(() => database.drop());

  /** A small sandbox on any free ports, without live traffic. */
  const serve = (flags: string[]) =>
    sandboxCli([
      '--database-url',
      database.url,
      '--users',
      '5',
      '--transactions',
      '50',
      '--rate',
      '0',
      '--user-port',
      '0',
      '--transaction-port',
      '0',
      '--budget-port',
      '0',
      ...flags,
    ]);

  it('prints a ready line on stdout, serves, and exits 0 on SIGTERM', async () => {
    const child = serve(['--publish', 'none']);
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const ready = JSON.parse(line) as {
      event: string;
      seeded: boolean;
      urls: Record<string, string>;
    };
    expect(ready).toMatchObject({ event: 'sandbox.ready', seeded: true, publish: 'none' });
    const health = await fetch(`${ready.urls.transactions}/health`);
    expect(await health.json()).toEqual({ status: 'ok', service: 'transaction-service' });
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('keeps the credentials of the event transport’s URL out of its output', async () => {
    const child = serve([
      '--publish',
      'nats',
      '--nats-url',
      'nats://sandbox:s3cret-password@127.0.0.1:1',
    ]);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await once(createInterface({ input: child.stdout }), 'line');
    await waitFor(() => stderr.includes('Accounts'), 'the summary on stderr');
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(stderr).toContain('NATS JetStream → nats://***@127.0.0.1:1');
    expect(stderr).not.toContain('s3cret-password');
  });

  it('exits 1 with one line for an invalid value, 2 for an unknown flag', async () => {
    const [invalid, usage] = await Promise.all([
      run(['--rate', 'fast']),
      run(['--colour', 'blue']),
    ]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr.trim().split('\n')).toEqual([
      expect.stringContaining('--rate (SANDBOX_RATE)'),
    ]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Unknown option '--colour'");
  });

  it('generates NDJSON on stdout and reports the count and rate on stderr', async () => {
    const { code, stdout, stderr } = await run([
      'generate',
      '--users',
      '3',
      '--transactions',
      '20',
      '--end',
      '2026-01-01T00:00:00Z',
    ]);
    expect(code).toBe(0);
    const events = stdout
      .trim()
      .split('\n')
      .map((l) => validEvent(JSON.parse(l)));
    expect(events.filter((e) => e.event_type === 'transaction.created')).toHaveLength(20);
    expect(stderr).toMatch(
      new RegExp(`generated ${events.length} events in [\\d.]+ s \\(\\d+ events/s\\)`),
    );
  });
});
