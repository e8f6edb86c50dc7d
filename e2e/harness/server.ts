import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, screenshotDir } from './paths.ts';

export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'e2e admin password 2026';
/** Signs the webhook batches scenarios ingest (POST /v1/ingest/events). */
export const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789';

export interface RunningServer {
  url: string;
  /** Everything the process wrote, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * The real server as `npm start` runs it (`node --import tsx apps/server/src/main.ts`), on a free port,
 * with a fresh data directory (its own embedded PostgreSQL) and a bootstrap Admin. Most scenarios turn
 * the second-factor policy off; pass `AUTH_MFA_REQUIRED_ROLES: 'Admin'` (the default) to exercise it.
 * Its log is kept as e2e/screenshots/<name>.server.log, next to the screenshots, for when a test fails.
 */
export async function startServer(
  name: string,
  env: Record<string, string> = {},
): Promise<RunningServer> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'backoffice-e2e-'));
  // As root, the embedded PostgreSQL runs as `postgres`, which must be able to traverse this directory.
  await fs.chmod(dataDir, 0o755);
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      BACKOFFICE_DATA_DIR: dataDir,
      BACKOFFICE_BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
      BACKOFFICE_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
      AUTH_MFA_REQUIRED_ROLES: 'none',
      INGEST_WEBHOOK_SECRET: WEBHOOK_SECRET,
      // No demo platform unless a scenario asks for one (BACKOFFICE_SANDBOX: 'auto').
      BACKOFFICE_SANDBOX: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the server did not start in 60 s:\n${output}`)),
      60_000,
    );
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.includes('"backoffice ready"')) continue;
        const ready = JSON.parse(line) as { url: string };
        clearTimeout(timer);
        // Listening on 127.0.0.1 only: avoid a browser trying ::1 for "localhost" first.
        resolve(ready.url.replace('//localhost:', '//127.0.0.1:'));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before it was ready:\n${output}`));
    });
  });

  return {
    url,
    output: () => output,
    stop: async () => {
      await stopServer(child, exited, dataDir);
      await fs.writeFile(path.join(screenshotDir, `${name}.server.log`), output);
    },
  };
}

async function stopServer(child: ChildProcess, exited: Promise<number | null>, dataDir: string) {
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    const timeout = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timeout);
  }
  await fs.rm(dataDir, { recursive: true, force: true });
}
