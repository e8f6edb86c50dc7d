import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './events.ts';
import { databaseUrl } from './postgres.ts';

export const ADMIN_EMAIL = 'bench-admin@backoffice.test';
export const ADMIN_PASSWORD = 'bench-admin-password';
export const WEBHOOK_SECRET = 'bench-webhook-secret-0123456789abcdef';
/** Benchmarks send far more than the default 1,000 requests per client address per minute. */
export const BENCH_RATE_LIMIT_MAX = 100_000_000;

export interface ServerProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  pid: number;
  /** Resident set size of the server process, in MiB (Linux /proc). */
  rssMiB(): number;
  /** CPU time (user + system) the server process used so far, in seconds (Linux /proc). */
  cpuSeconds(): number;
  /** Log lines (so far) whose message is `message`. */
  logCount(message: string): number;
  /** The errors the server logged so far (level error and above), counted by message. */
  loggedErrors(): Map<string, number>;
  /** SIGTERM, and wait for the exit (SIGKILL after 20 s). */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of running) child.kill('SIGKILL');
    process.exit(130);
  });
}

/**
 * The backoffice as in production: a separate process (`node --import tsx apps/server/src/main.ts`) on
 * its own event loop, on `database` (given as DATABASE_URL), listening on a free port, with a
 * bootstrap Admin, no sandbox, no second factor at sign-in, the webhook secret set and the rate limit
 * raised to BENCH_RATE_LIMIT_MAX. Its JSON log (LOG_LEVEL info, one line per request, as by default)
 * goes to a file, not through this process.
 */
export async function startServer(
  database: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'backoffice-bench-server-'));
  const logFile = path.join(dataDir, 'server.log');
  const log = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.homedir(),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_URL: databaseUrl(database),
      BACKOFFICE_DATA_DIR: dataDir,
      BACKOFFICE_SANDBOX: 'off',
      BACKOFFICE_BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
      BACKOFFICE_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
      AUTH_MFA_REQUIRED_ROLES: 'none',
      INGEST_WEBHOOK_SECRET: WEBHOOK_SECRET,
      RATE_LIMIT_MAX: String(BENCH_RATE_LIMIT_MAX),
      WEB_UI_DIR: path.join(dataDir, 'no-web-ui'),
      ...env,
    },
    stdio: ['ignore', log, 'pipe'],
  });
  fs.closeSync(log);
  running.add(child);
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the server');

  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      const match = /Backoffice is running at http:\/\/[^:]+:(\d+)/.exec(stderr);
      if (match?.[1] !== undefined) resolve(Number(match[1]));
    });
    void exited.then((code) => {
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
      reject(new Error(`the server exited (${code}) before it was ready:\n${stderr}\n${tail}`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    pid,
    ...processMeters(pid),
    logCount(message: string) {
      const needle = `"msg":${JSON.stringify(message)}`;
      let n = 0;
      for (const line of fs.readFileSync(logFile, 'utf8').split('\n'))
        if (line.includes(needle)) n++;
      return n;
    },
    loggedErrors() {
      const counts = new Map<string, number>();
      for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
        if (!line.includes('"level":"error"') && !line.includes('"level":"fatal"')) continue;
        try {
          const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } };
          const message = `${entry.msg ?? ''}${entry.err?.message === undefined ? '' : `: ${entry.err.message}`}`;
          counts.set(message, (counts.get(message) ?? 0) + 1);
        } catch {
          counts.set(line.slice(0, 200), (counts.get(line.slice(0, 200)) ?? 0) + 1);
        }
      }
      return counts;
    },
    async stop() {
      await stopChild(child, exited);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** RSS and CPU time of a process (Linux /proc). */
function processMeters(pid: number): Pick<ServerProcess, 'rssMiB' | 'cpuSeconds'> {
  const ticks = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux.
  return {
    rssMiB() {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
      return kb / 1024;
    },
    cpuSeconds() {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / ticks;
    },
  };
}

/** SIGTERM, and wait for the exit (SIGKILL after 20 s). */
async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
  running.delete(child);
}

export type BareProcess = Omit<ServerProcess, 'logCount' | 'loggedErrors'>;

/**
 * The baseline server: bare Fastify (bench/lib/bare-fastify.ts) in its own process, as the backoffice
 * runs in its own, with one route answering a JSON document of about `bytes` bytes.
 */
export async function startBareFastify(bytes: number): Promise<BareProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'bare-fastify.ts'), String(bytes)],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  running.add(child);
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start bare Fastify');
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      const match = /listening on (\d+)/.exec(stdout);
      if (match?.[1] !== undefined) resolve(Number(match[1]));
    });
    void exited.then((code) => reject(new Error(`bare Fastify exited (${code}): ${stdout}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid,
    ...processMeters(pid),
    stop: () => stopChild(child, exited),
  };
}

export interface RssSample {
  seconds: number;
  done: number;
  rssMiB: number;
}

/** Samples the server's RSS every `intervalMs`, with how far the work got (`done()`) at that moment. */
export function sampleRss(
  server: ServerProcess,
  done: () => number,
  intervalMs = 2_000,
): { stop(): RssSample[] } {
  const started = performance.now();
  const samples: RssSample[] = [];
  const take = () =>
    samples.push({
      seconds: (performance.now() - started) / 1000,
      done: done(),
      rssMiB: server.rssMiB(),
    });
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/** About `count` samples spread evenly over the run, first and last included. */
export function spread<T>(samples: readonly T[], count: number): T[] {
  if (samples.length <= count) return [...samples];
  return Array.from(
    { length: count },
    (_, i) => samples[Math.round((i * (samples.length - 1)) / (count - 1))] as T,
  );
}

/** Signs in as the bench Admin; returns the bearer token. */
export async function signIn(url: string): Promise<string> {
  const response = await fetch(`${url}/v1/admin/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  if (response.status !== 200)
    throw new Error(`sign-in answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { token: string; passwordChangeRequired: boolean };
  if (body.passwordChangeRequired)
    throw new Error('the bench Admin must change its password first');
  return body.token;
}
