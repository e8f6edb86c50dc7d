import { SafetyCertificateOutlined } from '@ant-design/icons';
import { VerifyResultSchema } from '@backoffice/contracts';
import { ProblemDetails, toProblem } from '@backoffice/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Flex, Modal, Progress, Result, Typography } from 'antd';
import { useState } from 'react';
import { auditApi } from '../../api/audit.ts';
import type { Job, VerifyResult } from '../../api/types.ts';
import { formatNumber, plural } from '../../format.ts';
import { auditKeys, isFinished, useJob } from './queries.ts';

/** The verification's result, when the job carries one the UI understands. */
export function verifyResultOf(job: Job | undefined): VerifyResult | undefined {
  const parsed = VerifyResultSchema.safeParse(job?.result);
  return parsed.success ? parsed.data : undefined;
}

function percentOf(job: Job): number | undefined {
  const total = job.progress?.total;
  if (total === null || total === undefined) return undefined;
  if (total === 0) return 100;
  return Math.min(100, Math.floor(((job.progress?.done ?? 0) / total) * 100));
}

function ResultView({ result }: { result: VerifyResult }) {
  const checkpoints = plural(result.checkpointsVerified, 'signed checkpoint');
  return result.ok ? (
    <Result
      status="success"
      title="The chain is intact"
      subTitle={`${plural(result.checked, 'entry', 'entries')} checked, ${checkpoints} verified. Nothing was changed or removed.`}
    />
  ) : (
    <Result
      status="error"
      title="The chain is broken"
      subTitle={
        <>
          {result.firstBrokenSeq === null
            ? 'The trail does not match its hashes.'
            : `From entry #${formatNumber(result.firstBrokenSeq)}, the trail does not match its hashes.`}{' '}
          {result.reason ?? ''} {plural(result.checked, 'entry', 'entries')} checked, {checkpoints}{' '}
          verified.
        </>
      }
    />
  );
}

/** Before the first answer `job` is undefined: the verification is starting. */
function JobView({ job }: { job: Job | undefined }) {
  if (job?.status === 'failed')
    return (
      <Result
        status="warning"
        title="The verification could not finish"
        subTitle={job.error ?? 'The job failed.'}
      />
    );
  const result = verifyResultOf(job);
  if (job?.status === 'succeeded' && result !== undefined) return <ResultView result={result} />;
  const percent = job === undefined ? 0 : percentOf(job);
  const done = job?.progress?.done ?? 0;
  const total = job?.progress?.total;
  return (
    <Flex vertical gap={8} style={{ padding: '16px 0' }}>
      <Progress
        percent={percent ?? 0}
        status="active"
        aria-label="Verification progress"
        aria-valuenow={percent ?? 0}
      />
      <Typography.Text type="secondary">
        {job === undefined || job.status === 'queued'
          ? 'Starting…'
          : total === null || total === undefined
            ? `Checked ${formatNumber(done)} entries…`
            : `Checked ${formatNumber(done)} of ${formatNumber(total)} entries…`}
      </Typography.Text>
    </Flex>
  );
}

/**
 * "Verify chain": starts the server's verification job (POST …/audit-logs/verify), then shows its
 * progress (polling GET /system/jobs/:id) and the result.
 */
export function VerifyChain() {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [jobId, setJobId] = useState<string | undefined>(undefined);
  const start = useMutation({
    mutationFn: () => auditApi.verify(),
    // Starting a verification is itself audited: the audit trail is refreshed as after every change.
    meta: { refreshes: [] },
    onSuccess: (job) => {
      queryClient.setQueryData(auditKeys.job(job.id), job);
      setJobId(job.id);
    },
  });
  const job = useJob(jobId);
  const finished = isFinished(job.data);
  const running = start.isPending || (jobId !== undefined && !finished && !job.isError);
  const error = start.error ?? job.error;

  const begin = () => {
    setJobId(undefined);
    setOpen(true);
    start.mutate();
  };

  return (
    <>
      <Button icon={<SafetyCertificateOutlined aria-hidden />} loading={running} onClick={begin}>
        Verify chain
      </Button>
      <Modal
        open={open}
        title="Chain verification"
        onCancel={() => setOpen(false)}
        footer={
          <Flex justify="flex-end" gap={8}>
            {finished || error !== null ? <Button onClick={begin}>Verify again</Button> : null}
            <Button type="primary" onClick={() => setOpen(false)}>
              {running ? 'Hide (it keeps running)' : 'Done'}
            </Button>
          </Flex>
        }
      >
        <div role="status" aria-live="polite">
          {error !== null ? (
            <Result
              status="error"
              title="The verification could not start"
              subTitle={<ProblemDetails problem={toProblem(error)} />}
            />
          ) : (
            <JobView job={job.data} />
          )}
        </div>
      </Modal>
    </>
  );
}
