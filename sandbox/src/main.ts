import fs from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Logger } from 'pino';
import {
  ConfigError,
  UsageError,
  parseCommandLine,
  type GenerateCommand,
  type SandboxConfig,
} from './config.ts';
import { DEFAULT_USER_PASSWORD, KNOWN_ACCOUNTS } from './domain/accounts.ts';
import { generateEvents } from './generator/generator.ts';
import { createLogger } from './platform/logger.ts';
import { runSandbox, type Sandbox } from './sandbox.ts';

/**
 * `npm run sandbox -- [options]`: starts the services until SIGINT/SIGTERM (then stops gracefully and
 * exits 0). `npm run sandbox -- generate [options]`: writes the event history as NDJSON.
 * Exit codes: 1 for invalid options or a failed start, 2 for a malformed command line.
 */
async function main(): Promise<void> {
  let command;
  try {
    command = parseCommandLine(process.argv.slice(2), process.env, new Date());
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(error instanceof UsageError ? 2 : 1);
    }
    throw error;
  }
  switch (command.command) {
    case 'help':
      process.stdout.write(`${command.text}\n`);
      return;
    case 'generate':
      return generate(command);
    case 'serve':
      return serve(command.config);
  }
}

async function serve(config: SandboxConfig): Promise<void> {
  const logger = createLogger(config.logLevel);
  let sandbox: Sandbox | undefined;
  let stopRequestedAt: number | undefined;

  const stop = async (reason: string) => {
    if (stopRequestedAt !== undefined) {
      // Ctrl-C under npm arrives twice at once (the terminal's and npm's copy): only a later one
      // means "stop now".
      if (performance.now() - stopRequestedAt < 1_000) return;
      logger.warn({ reason }, 'second stop request: exiting immediately');
      process.exit(1);
    }
    stopRequestedAt = performance.now();
    // A signal during start is honoured once the start completes (the seeding transaction is whole).
    if (sandbox === undefined) return;
    logger.info({ reason }, 'stopping the sandbox');
    setTimeout(() => {
      logger.error('stopping took longer than 15 s: exiting');
      process.exit(1);
    }, 15_000).unref();
    await sandbox.stop();
    logger.info('sandbox stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  try {
    sandbox = await runSandbox(config, { logger, seedEnd: new Date() });
  } catch (error) {
    logger.fatal(
      { err: error },
      error instanceof Error ? error.message : 'the sandbox failed to start',
    );
    process.exit(1);
  }
  announce(sandbox, logger);
  if (stopRequestedAt !== undefined) {
    stopRequestedAt = undefined;
    await stop('signal received while starting');
  }
}

/** One JSON line on stdout for a parent process; a human-readable summary on stderr. */
function announce(sandbox: Sandbox, logger: Logger): void {
  const { urls, seeded, config } = sandbox;
  const accounts = KNOWN_ACCOUNTS.map(({ id, email, role }) => ({ id, email, role }));
  process.stdout.write(
    `${JSON.stringify({ event: 'sandbox.ready', urls, seeded, publish: config.publish, accounts })}\n`,
  );
  logger.info({ urls, seeded, publish: config.publish }, 'sandbox ready');
  // Credentials in a URL (nats://user:password@host) stay out of the output, as the database's do.
  const withoutCredentials = (url: string) => url.replace(/\/\/[^/@\s]*@/g, '//***@');
  const target =
    config.publish === 'webhook'
      ? `webhook → ${withoutCredentials(config.webhookUrl)}`
      : config.publish === 'nats'
        ? `NATS JetStream → ${withoutCredentials(config.natsUrl)} (stream ${config.natsStream})`
        : config.publish === 'kafka'
          ? `Kafka → ${config.kafkaBrokers.join(',')}`
          : 'none (kept in the outbox)';
  const password =
    config.userPassword === DEFAULT_USER_PASSWORD
      ? `password "${DEFAULT_USER_PASSWORD}"`
      : 'password from SANDBOX_USER_PASSWORD';
  const services = (
    [
      ['User Service', urls.users],
      ['Transaction Service', urls.transactions],
      ['Budget Service', urls.budgets],
      ['Pet Service', urls.pets],
      ['Payment Service', urls.payments],
    ] as const
  ).flatMap(([name, url]) => (url === undefined ? [] : [`    ${name.padEnd(20)} ${url}`]));
  process.stderr.write(
    [
      '',
      `  Sandbox is running${seeded ? ' (seeded just now)' : ''}`,
      ...services,
      `  Events: ${target}; outbox status at ${urls.users}/__sandbox/status`,
      `  Accounts (${password}):`,
      ...KNOWN_ACCOUNTS.map((a) => `    ${a.email.padEnd(28)} ${a.role}`),
      '',
      '',
    ].join('\n'),
  );
}

async function generate(command: GenerateCommand): Promise<void> {
  const out: Writable = command.out === '-' ? process.stdout : fs.createWriteStream(command.out);
  // A reader that goes away (`| head`) ends the run quietly.
  out.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    process.stderr.write(`cannot write ${command.out}: ${error.message}\n`);
    process.exit(1);
  });
  const started = performance.now();
  let lastReport = started;
  let count = 0;
  let buffer = '';
  const report = (final: boolean) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = Math.round(count / Math.max(seconds, 0.001));
    process.stderr.write(
      `${final ? 'generated' : '…'} ${count} events in ${seconds.toFixed(1)} s (${rate} events/s)\n`,
    );
  };
  for (const event of generateEvents(command)) {
    buffer += `${JSON.stringify(event)}\n`;
    count++;
    if (buffer.length >= 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
      if (performance.now() - lastReport >= 5_000) {
        lastReport = performance.now();
        report(false);
      }
    }
  }
  out.write(buffer);
  if (out !== process.stdout) {
    out.end();
    await once(out, 'finish');
  }
  report(true);
}

await main();
