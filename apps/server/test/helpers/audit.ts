import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { AuditWriter, createCheckpointSigner } from '../../src/platform/audit/writer.ts';
import type { Projection } from '../../src/platform/events/types.ts';
import { features } from '../../src/features/index.ts';
import { projectionsOf } from '../../src/platform/modules/feature-module.ts';
import { TEST_AUDIT_KEY } from './app.ts';

/** An audit writer as the app builds it, for tests that use the projector or the writer directly. */
export function testAuditWriter(
  options: { checkpointEvery?: number; fallbackFile?: string; checkpointExportDir?: string } = {},
): AuditWriter {
  return new AuditWriter({
    fallbackFile:
      options.fallbackFile ??
      path.join(os.tmpdir(), `backoffice-audit-fallback-${process.pid}.ndjson`),
    signer: createCheckpointSigner(TEST_AUDIT_KEY),
    checkpointEvery: options.checkpointEvery ?? 1000,
    checkpointExportDir: options.checkpointExportDir,
    logger: pino({ level: 'silent' }),
  });
}

export function testProjections(): Projection[] {
  return projectionsOf(features, { audit: testAuditWriter() });
}
