import { PageHeader, Spinner } from '@backoffice/ui';
import { Card, Descriptions } from 'antd';
import { Link, useParams } from 'react-router';
import type { ResourceDescription } from '@backoffice/contracts';
import { ErrorView, NotFound } from '../../errors/ErrorViews.tsx';
import { renderValue } from './fields.tsx';
import { useDeclaredItem, useDeclaredResources } from './queries.ts';

/** `/records/:resource/:id`: one item of a declared resource, every field, links followed. */
export function DeclaredShowPage() {
  const { resource: name = '', id = '' } = useParams();
  const described = useDeclaredResources();
  if (described.isError)
    return <ErrorView error={described.error} onRetry={() => void described.refetch()} />;
  if (described.data === undefined) return <Spinner label="Loading" />;
  const resource = described.data.find((r) => r.name === name);
  if (resource === undefined) return <NotFound />;
  return <DeclaredShow resource={resource} id={id} />;
}

function DeclaredShow({ resource, id }: { resource: ResourceDescription; id: string }) {
  const item = useDeclaredItem(resource.name, id);
  const list = {
    to: `/records/${resource.name}`,
    label: `Back to ${resource.title.toLowerCase()}`,
  };
  if (item.isError)
    return (
      <ErrorView
        error={item.error}
        onRetry={() => void item.refetch()}
        what={resource.singular}
        list={list}
      />
    );
  return (
    <>
      <PageHeader
        title={`${resource.singular[0]?.toUpperCase() ?? ''}${resource.singular.slice(1)}`}
        subtitle={<Link to={list.to}>{list.label}</Link>}
      />
      <Card>
        {item.data === undefined ? (
          <Spinner label={`Loading the ${resource.singular}`} />
        ) : (
          <Descriptions
            bordered
            size="small"
            column={1}
            items={resource.fields.map((field) => ({
              key: field.name,
              label: field.label,
              children: renderValue(resource, field, item.data[field.name]),
            }))}
          />
        )}
      </Card>
    </>
  );
}
