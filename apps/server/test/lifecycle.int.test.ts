import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The real process, as `npm start` runs it: boot on a fresh data directory, answer, stop cleanly on a
 * signal (exit 0, PostgreSQL stopped), start again on the same data, and refuse bad configuration.
 */
const serverRoot = fileURLToPath(new URL('..', import.meta.url));

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

function startServer(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /"url":"(http:\/\/[^"]+)".*"msg":"backoffice ready"/.exec(output);
      if (ready?.[1] !== undefined) {
        resolve({ child, url: ready[1], output: () => output, exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

function runToExit(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('the server process', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'backoffice-lifecycle-'));
    await fs.chmod(dataDir, 0o755);
  });
  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  // As `npm start` starts, demo platform included, on a small world: "ready" is said once the sandbox
  // has seeded, which at the default size takes half a minute on a busy machine.
  const env = () => ({
    BACKOFFICE_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    SANDBOX_USERS: '50',
    SANDBOX_TRANSACTIONS: '500',
  });
  const pidFile = () => path.join(dataDir, 'postgres', 'data', 'postmaster.pid');

  it(
    'starts on the embedded PostgreSQL, serves, and stops cleanly on SIGTERM',
    { timeout: 120_000 },
    async () => {
      const server = await startServer(env());
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      await expect(fs.access(pidFile())).resolves.toBeUndefined();

      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain('"msg":"stopped"');
      await expect(fs.access(pidFile())).rejects.toThrow();
    },
  );

  it(
    'reuses the same data directory on the next start and stops on SIGINT',
    { timeout: 120_000 },
    async () => {
      const server = await startServer(env());
      expect(server.output()).not.toContain('initialising a new PostgreSQL cluster');
      expect(server.output()).not.toContain('migration applied');
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      server.child.kill('SIGINT');
      expect(await server.exited).toBe(0);
      await expect(fs.access(pidFile())).rejects.toThrow();
    },
  );

  it('refuses invalid configuration with one line naming the variable', async () => {
    const result = await runToExit({ ...env(), PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'Invalid configuration: PORT: Invalid input: expected number, received NaN (got "eighty")',
    ]);
  });

  it('fails clearly, without printing the password, when DATABASE_URL cannot be reached', async () => {
    const result = await runToExit({
      ...env(),
      DATABASE_URL: 'postgres://backoffice:s3cret-pw@127.0.0.1:1/backoffice',
      DATABASE_CONNECT_TIMEOUT_MS: '500',
    });
    expect(result.code).toBe(1);
    const output = result.stdout + result.stderr;
    expect(output).toContain(
      'Cannot connect to PostgreSQL at postgres://backoffice:***@127.0.0.1:1/backoffice',
    );
    expect(output).not.toContain('s3cret-pw');
  });
});
