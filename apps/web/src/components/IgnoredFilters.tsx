import { Alert } from 'antd';
import type { RejectedFilter } from '../hooks/useListState.ts';

/** Says which filters of the address a list could not use, and so does not apply. */
export function IgnoredFilters({ rejected }: { rejected: readonly RejectedFilter[] }) {
  if (rejected.length === 0) return null;
  const named = rejected.map((r) => `${r.key}=${r.value}`).join(', ');
  return (
    <Alert
      type="warning"
      showIcon
      title={`Ignored ${rejected.length === 1 ? 'an invalid filter' : 'invalid filters'}: ${named}`}
      description="The list is shown without it. Choose the filter again if you need it."
      style={{ marginBottom: 16 }}
    />
  );
}
