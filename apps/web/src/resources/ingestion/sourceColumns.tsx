import { Badge, type DataTableColumn } from '@backoffice/ui';
import { Typography } from 'antd';

/** What the ingestion page and the dashboard's health panel both show of an event source. */
export interface SourceIdentity {
  name: string;
  enabled: boolean;
  /** null: a source that does not connect anywhere (the webhook receives). */
  connected: boolean | null;
}

function connection(source: SourceIdentity) {
  if (!source.enabled) return <Badge>Disabled</Badge>;
  if (source.connected === null) return <Badge tone="info">Accepting</Badge>;
  return source.connected ? (
    <Badge tone="success">Connected</Badge>
  ) : (
    <Badge tone="error">Disconnected</Badge>
  );
}

/** The first columns of every table of sources: its name and its connection. */
export function sourceIdentityColumns<T extends SourceIdentity>(): DataTableColumn<T>[] {
  return [
    {
      key: 'name',
      title: 'Source',
      render: (s) => <Typography.Text strong>{s.name}</Typography.Text>,
    },
    {
      key: 'connected',
      title: 'Connection',
      value: (s) => (s.connected === null ? 'n/a' : s.connected ? 'connected' : 'disconnected'),
      render: connection,
    },
  ];
}
