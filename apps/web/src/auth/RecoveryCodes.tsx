import { Button, Checkbox, Flex, Typography } from 'antd';
import { useState } from 'react';
import { downloadFile } from '@backoffice/ui';

/** The recovery codes, shown once, with a confirmation that they were saved. */
export function RecoveryCodes({
  codes,
  onSaved,
  continueLabel = 'Continue',
}: {
  codes: readonly string[];
  onSaved: () => void;
  continueLabel?: string;
}) {
  const [saved, setSaved] = useState(false);
  return (
    <section aria-labelledby="recovery-codes-title">
      <Typography.Title level={2} id="recovery-codes-title" style={{ fontSize: 18 }}>
        Your recovery codes
      </Typography.Title>
      <Typography.Paragraph>
        Each code signs you in once if you lose your authenticator. They are shown only now: store
        them somewhere safe, such as a password manager.
      </Typography.Paragraph>
      <ol
        aria-label="Recovery codes"
        style={{ columns: 2, paddingInlineStart: 24, margin: '0 0 12px', lineHeight: 2 }}
      >
        {codes.map((code) => (
          <li key={code}>
            <Typography.Text code copyable>
              {code}
            </Typography.Text>
          </li>
        ))}
      </ol>
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Button
          onClick={() =>
            downloadFile('backoffice-recovery-codes.txt', `${codes.join('\n')}\n`, 'text/plain')
          }
        >
          Download as a file
        </Button>
      </Flex>
      <Checkbox checked={saved} onChange={(event) => setSaved(event.target.checked)}>
        I saved these recovery codes
      </Checkbox>
      <div style={{ marginTop: 16 }}>
        <Button type="primary" disabled={!saved} onClick={onSaved}>
          {continueLabel}
        </Button>
      </div>
    </section>
  );
}
