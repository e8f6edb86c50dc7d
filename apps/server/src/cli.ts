import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { features } from './features/index.ts';
import { featuresFor } from './packs/index.ts';
import { AuditWriter, createCheckpointSigner, type AuditContext } from './platform/audit/writer.ts';
import type { Database } from './platform/db/database.ts';
import { migrateToLatest } from './platform/db/migrations.ts';
import { openDatabase } from './platform/db/runtime.ts';
import {
  feedsOf,
  formatsOf,
  projectionsOf,
  type CliCommand,
  type CliContext,
} from './platform/modules/feature-module.ts';
import { createLogger } from './platform/observability/logger.ts';
import { SecretStore, auditSigningKey } from './platform/secrets.ts';

/**
 * `backoffice <command>`: operator commands. Each reads the same configuration as the server (the
 * environment), so it works on the embedded database of BACKOFFICE_DATA_DIR or on DATABASE_URL.
 */
const out = (line: string) => process.stdout.write(`${line}\n`);

/** Who the audit trail names for actions taken from the command line. */
const CLI_CONTEXT: AuditContext = {
  actor: { type: 'system', id: null, email: `cli:${process.env.USER ?? 'unknown'}` },
  ip: null,
  userAgent: 'backoffice-cli',
  correlationId: null,
};
const logger = () => createLogger({ level: 'warn' });

/** Opens the configured database, brings it up to date, runs `work`, and closes everything. */
async function withDatabase<T>(work: (db: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const runtime = await openDatabase(config, logger());
  try {
    await migrateToLatest(runtime.database.db);
    return await work(runtime.database.db, config);
  } finally {
    await runtime.close();
  }
}

/** The audit writer as the server builds it (same key, same fallback file). */
async function auditWriter(config: Config): Promise<AuditWriter> {
  const key = await auditSigningKey(config, await SecretStore.open(config.dataDir));
  return new AuditWriter({
    fallbackFile: path.join(config.dataDir, 'audit-fallback.ndjson'),
    signer: createCheckpointSigner(key),
    checkpointEvery: config.audit.checkpointEvery,
    checkpointExportDir: config.audit.checkpointExportDir,
    logger: logger(),
  });
}

/** A password typed without echo (on a terminal), or the first line of standard input (piped). */
async function readPassword(prompt: string, fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    const lines = createInterface({ input: process.stdin });
    for await (const line of lines) return line;
    return '';
  }
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stdout.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const answer = rl.question(prompt);
  muted = true;
  const password = await answer;
  rl.close();
  process.stdout.write('\n');
  return password;
}

const progressLine = (text: string): void => {
  process.stdout.write(process.stdout.isTTY ? `\r${text}` : `${text}\n`);
};

const cli: CliContext = {
  withDatabase,
  auditWriter,
  projections: (audit, config) => projectionsOf(featuresFor(config.packs), { audit }),
  feeds: (config) => feedsOf(featuresFor(config.packs)),
  formats: (config) => formatsOf(featuresFor(config.packs)),
  actor: CLI_CONTEXT,
  logger,
  out,
  progress: progressLine,
  readPassword,
};

/** The platform's commands, then every feature's (of every pack: a command checks what it needs). */
const commands: Record<string, CliCommand> = {
  migrate: {
    summary: 'Apply pending database migrations (the server also does this at start)',
    async run() {
      const runtime = await openDatabase(loadConfig(), logger());
      try {
        const applied = await migrateToLatest(runtime.database.db);
        if (applied.length === 0) out('Database is up to date.');
        for (const migration of applied) out(`applied ${migration.migrationName}`);
        return 0;
      } finally {
        await runtime.close();
      }
    },
  },

  ...Object.fromEntries(features.flatMap((feature) => Object.entries(feature.commands ?? {}))),
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  return [
    'Usage: backoffice <command> [options]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help  Show this help (or a command’s help: backoffice <command> --help)',
    '',
    'Configuration comes from the environment, as for the server (see README.md).',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    out(help());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`Unknown command "${name}".\n\n${help()}\n`);
    return 2;
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(
      `${(error as Error).message}\n\nbackoffice ${name} ${command.usage ?? ''}\n`,
    );
    return 2;
  }
  if (values.help === true) {
    out(`backoffice ${name}${command.usage ? ` ${command.usage}` : ''}\n\n${command.summary}`);
    return 0;
  }
  return command.run(values, cli);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(
    `${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
}
