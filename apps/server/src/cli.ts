import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createOrResetAdmin } from './features/access/bootstrap.ts';
import { passwordProblem } from './platform/auth/passwords.ts';
import { DeadLettersRepository } from './features/ingestion/dead-letters.repository.ts';
import { IngestionService } from './features/ingestion/ingestion.service.ts';
import { rebuildReadModel } from './features/ingestion/rebuild.ts';
import type { Database } from './platform/db/database.ts';
import { migrateToLatest } from './platform/db/migrations.ts';
import { openDatabase } from './platform/db/runtime.ts';
import { CatchUpTracker } from './platform/events/catch-up.ts';
import { Projector } from './platform/events/projector.ts';
import { createLogger } from './platform/observability/logger.ts';
import { projections } from './projections.ts';
import { readCheckpointFiles } from './platform/audit/checkpoint-files.ts';
import { verifyAuditChain } from './platform/audit/verify.ts';
import { AuditWriter, createCheckpointSigner, type AuditContext } from './platform/audit/writer.ts';
import { SecretStore, auditSigningKey } from './platform/secrets.ts';

/**
 * `backoffice <command>`: operator commands. Each reads the same configuration as the server (the
 * environment), so it works on the embedded database of BACKOFFICE_DATA_DIR or on DATABASE_URL.
 */
interface Command {
  summary: string;
  usage?: string;
  options?: ParseArgsConfig['options'];
  run(values: Record<string, string | boolean | undefined>): Promise<number>;
}

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

const commands: Record<string, Command> = {
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

  'create-admin': {
    summary: 'Create an Admin staff account (or, with --reset-password, restore access to one)',
    usage: '--email <email> [--name <name>] [--password-stdin] [--reset-password]',
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      'reset-password': { type: 'boolean' },
    },
    async run(values) {
      const email = typeof values.email === 'string' ? values.email : undefined;
      if (email === undefined || !email.includes('@')) {
        process.stderr.write('--email <address> is required.\n');
        return 2;
      }
      const password = await readPassword(
        'Password (at least 12 characters): ',
        values['password-stdin'] === true,
      );
      const problem = passwordProblem(password, email);
      if (problem !== null) {
        process.stderr.write(`The password ${problem}.\n`);
        return 1;
      }
      const outcome = await withDatabase(async (db, config) =>
        createOrResetAdmin(db, await auditWriter(config), {
          email,
          name: typeof values.name === 'string' ? values.name : 'Administrator',
          password,
          resetPassword: values['reset-password'] === true,
        }),
      );
      out(
        outcome === 'created'
          ? `Created Admin ${email}.`
          : `Reset ${email}: active Admin with the new password.`,
      );
      return 0;
    },
  },

  'rebuild-read-model': {
    summary: 'Rebuild the read model from the event log (resumes an interrupted rebuild)',
    usage: '[--restart] [--batch-size <n>]',
    options: { restart: { type: 'boolean' }, 'batch-size': { type: 'string' } },
    async run(values) {
      const batchSize =
        typeof values['batch-size'] === 'string'
          ? Number.parseInt(values['batch-size'], 10)
          : 2_000;
      if (!Number.isInteger(batchSize) || batchSize < 1) {
        process.stderr.write('--batch-size must be a positive whole number.\n');
        return 2;
      }
      const result = await withDatabase(async (db, config) =>
        rebuildReadModel(db, projections({ audit: await auditWriter(config) }), logger(), {
          restart: values.restart === true,
          batchSize,
          onProgress: ({ done, total, eventsPerSecond }) =>
            progressLine(
              `${done.toLocaleString('en')} / ${total.toLocaleString('en')} events (${eventsPerSecond.toLocaleString('en')}/s)`,
            ),
        }),
      );
      out(
        `\nRebuilt from ${result.events.toLocaleString('en')} events in ${result.seconds.toFixed(1)} s.`,
      );
      return 0;
    },
  },

  'verify-audit': {
    summary:
      'Verify the audit trail’s hash chain and signed checkpoints, and against the checkpoints exported to a directory (exit 1 when broken)',
    usage: '[--against <dir>]   (default: AUDIT_CHECKPOINT_EXPORT_DIR, when set)',
    options: { against: { type: 'string' } },
    async run(values) {
      const result = await withDatabase(async (db, config) => {
        const { signer } = await auditWriter(config);
        const against =
          typeof values.against === 'string' ? values.against : config.audit.checkpointExportDir;
        const exportedCheckpoints = against === undefined ? [] : await readCheckpointFiles(against);
        if (against !== undefined)
          out(`Comparing with ${exportedCheckpoints.length} checkpoints exported to ${against}.`);
        return verifyAuditChain(db, {
          publicKeyPem: signer.publicKeyPem,
          keyId: signer.keyId,
          exportedCheckpoints,
          onProgress: (checked, total) =>
            progressLine(`${checked.toLocaleString('en')} / ${total.toLocaleString('en')} entries`),
        });
      });
      out('');
      if (result.ok) {
        out(
          `OK: ${result.checked.toLocaleString('en')} entries, ${result.checkpointsVerified} signed checkpoints verified.`,
        );
        return 0;
      }
      out(
        `BROKEN at entry ${result.firstBrokenSeq ?? '?'}: ${result.reason ?? ''} (${result.checked} entries verified before it).`,
      );
      return 1;
    },
  },

  'replay-dead-letters': {
    summary:
      'Replay pending dead letters through the projector (all, or those matching the filters)',
    usage: '[--reason <reason>] [--source <source>] [--event-type <type>]',
    options: {
      reason: { type: 'string' },
      source: { type: 'string' },
      'event-type': { type: 'string' },
    },
    async run(values) {
      const text = (value: string | boolean | undefined) =>
        typeof value === 'string' ? value : undefined;
      const totals = await withDatabase(async (db, config) => {
        const audit = await auditWriter(config);
        return new IngestionService(
          db,
          audit,
          new DeadLettersRepository(db),
          new Projector(db, projections({ audit }), logger()),
          undefined,
          [],
          false,
          new CatchUpTracker({ brokers: () => [], processed: () => 0, logger: logger() }),
        ).replayAll(
          CLI_CONTEXT,
          {
            reason: text(values.reason),
            source: text(values.source),
            eventType: text(values['event-type']),
          },
          ({ replayed, failed }) => progressLine(`replayed ${replayed}, still failing ${failed}`),
        );
      });
      out(
        `\nReplayed ${totals.replayed}; ${totals.failed} still failing (left pending with their new reason).`,
      );
      return totals.failed === 0 ? 0 : 1;
    },
  },
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
  return command.run(values);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(
    `${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
}
