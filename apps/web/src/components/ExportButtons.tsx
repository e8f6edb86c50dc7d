import { DownloadOutlined } from '@ant-design/icons';
import { downloadBlob, useToast } from '@backoffice/ui';
import { Button } from 'antd';
import { useState } from 'react';

export type ExportFormat = 'csv' | 'ndjson';

/**
 * "Export CSV" and "Export NDJSON" of the current filter, streamed and audited by the server (not paged
 * through in the browser): one way for every list that has a server export.
 */
export function ExportButtons({
  run,
  title,
  disabled = false,
}: {
  /** Fetches the export of this format: the file and the name the server proposes. */
  run: (format: ExportFormat) => Promise<{ blob: Blob; fileName: string }>;
  /** The success notice's title ("Audit log exported"). */
  title: string;
  disabled?: boolean;
}) {
  const toast = useToast();
  const [running, setRunning] = useState<ExportFormat | undefined>(undefined);
  const start = async (format: ExportFormat) => {
    setRunning(format);
    try {
      const { blob, fileName } = await run(format);
      downloadBlob(fileName, blob);
      toast.success(title, fileName);
    } catch (error) {
      toast.problem(error, { title: 'The export failed' });
    } finally {
      setRunning(undefined);
    }
  };
  return (
    <>
      {(['csv', 'ndjson'] as const).map((format) => (
        <Button
          key={format}
          icon={<DownloadOutlined aria-hidden />}
          loading={running === format}
          disabled={disabled || (running !== undefined && running !== format)}
          onClick={() => void start(format)}
        >
          Export {format.toUpperCase()}
        </Button>
      ))}
    </>
  );
}
