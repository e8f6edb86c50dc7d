import type { CatchingUp } from '@backoffice/contracts';
import { Alert } from 'antd';
import { formatAgo, formatDateTime, formatNumber } from '../format.ts';

/**
 * Says so while the read model is behind its sources (a first start filling from the platform's
 * history, a source back after an outage): until then the figures on the page are too low, not wrong.
 * Renders nothing once caught up.
 */
export function CatchingUpBanner({ catchingUp }: { catchingUp: CatchingUp | null | undefined }) {
  if (catchingUp === null || catchingUp === undefined) return null;
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      title={`Catching up: ${formatNumber(catchingUp.behind)} events behind — figures are incomplete`}
      description={
        <span title={formatDateTime(catchingUp.since)}>
          The platform published these events before the backoffice could take them in; it has been
          catching up since {formatAgo(catchingUp.since)}. This disappears when it is done.
        </span>
      }
    />
  );
}
