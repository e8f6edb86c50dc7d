import { readCheckpointFiles } from '../../platform/audit/checkpoint-files.ts';
import { verifyAuditChain } from '../../platform/audit/verify.ts';
import type { CliCommand } from '../../platform/modules/feature-module.ts';

export const auditCommands: Record<string, CliCommand> = {
  'verify-audit': {
    summary:
      'Verify the audit trail’s hash chain and signed checkpoints, and against the checkpoints exported to a directory (exit 1 when broken)',
    usage: '[--against <dir>]   (default: AUDIT_CHECKPOINT_EXPORT_DIR, when set)',
    options: { against: { type: 'string' } },
    async run(values, cli) {
      const result = await cli.withDatabase(async (db, config) => {
        const { signer } = await cli.auditWriter(config);
        const against =
          typeof values.against === 'string' ? values.against : config.audit.checkpointExportDir;
        const exportedCheckpoints = against === undefined ? [] : await readCheckpointFiles(against);
        if (against !== undefined)
          cli.out(
            `Comparing with ${exportedCheckpoints.length} checkpoints exported to ${against}.`,
          );
        return verifyAuditChain(db, {
          publicKeyPem: signer.publicKeyPem,
          keyId: signer.keyId,
          exportedCheckpoints,
          onProgress: (checked, total) =>
            cli.progress(`${checked.toLocaleString('en')} / ${total.toLocaleString('en')} entries`),
        });
      });
      cli.out('');
      if (result.ok) {
        cli.out(
          `OK: ${result.checked.toLocaleString('en')} entries, ${result.checkpointsVerified} signed checkpoints verified.`,
        );
        return 0;
      }
      cli.out(
        `BROKEN at entry ${result.firstBrokenSeq ?? '?'}: ${result.reason ?? ''} (${result.checked} entries verified before it).`,
      );
      return 1;
    },
  },
};
