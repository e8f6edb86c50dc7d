import { CatchUpTracker } from '../../platform/events/catch-up.ts';
import { Projector } from '../../platform/events/projector.ts';
import type { CliCommand } from '../../platform/modules/feature-module.ts';
import { DeadLettersRepository } from './dead-letters.repository.ts';
import { IngestionService } from './ingestion.service.ts';
import { rebuildReadModel } from './rebuild.ts';

export const ingestionCommands: Record<string, CliCommand> = {
  'rebuild-read-model': {
    summary: 'Rebuild the read model from the event log (resumes an interrupted rebuild)',
    usage: '[--restart] [--batch-size <n>]',
    options: { restart: { type: 'boolean' }, 'batch-size': { type: 'string' } },
    async run(values, cli) {
      const batchSize =
        typeof values['batch-size'] === 'string'
          ? Number.parseInt(values['batch-size'], 10)
          : 2_000;
      if (!Number.isInteger(batchSize) || batchSize < 1) {
        process.stderr.write('--batch-size must be a positive whole number.\n');
        return 2;
      }
      const result = await cli.withDatabase(async (db, config) =>
        rebuildReadModel(db, cli.projections(await cli.auditWriter(config), config), cli.logger(), {
          restart: values.restart === true,
          batchSize,
          onProgress: ({ done, total, eventsPerSecond }) =>
            cli.progress(
              `${done.toLocaleString('en')} / ${total.toLocaleString('en')} events (${eventsPerSecond.toLocaleString('en')}/s)`,
            ),
        }),
      );
      cli.out(
        `\nRebuilt from ${result.events.toLocaleString('en')} events in ${result.seconds.toFixed(1)} s.`,
      );
      return 0;
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
    async run(values, cli) {
      const text = (value: string | boolean | undefined) =>
        typeof value === 'string' ? value : undefined;
      const totals = await cli.withDatabase(async (db, config) => {
        const audit = await cli.auditWriter(config);
        return new IngestionService(
          db,
          audit,
          new DeadLettersRepository(db),
          new Projector(
            db,
            cli.projections(audit, config),
            cli.logger(),
            undefined,
            cli.feeds(config),
            cli.formats(config),
          ),
          undefined,
          [],
          false,
          new CatchUpTracker({ brokers: () => [], processed: () => 0, logger: cli.logger() }),
        ).replayAll(
          cli.actor,
          {
            reason: text(values.reason),
            source: text(values.source),
            eventType: text(values['event-type']),
          },
          ({ replayed, failed }) => cli.progress(`replayed ${replayed}, still failing ${failed}`),
        );
      });
      cli.out(
        `\nReplayed ${totals.replayed}; ${totals.failed} still failing (left pending with their new reason).`,
      );
      return totals.failed === 0 ? 0 : 1;
    },
  },
};
