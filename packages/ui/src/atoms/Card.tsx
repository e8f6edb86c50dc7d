import { Card as AntCard } from 'antd';
import type { CSSProperties, ReactNode } from 'react';
import { useId } from 'react';

export interface CardProps {
  title?: ReactNode;
  /** Actions at the right of the title. */
  extra?: ReactNode;
  /** Shows a skeleton of the content instead of the children. */
  loading?: boolean;
  children?: ReactNode;
  style?: CSSProperties;
}

/** A titled region of a page. With a title, it is a landmark named after it. */
export function Card({ title, extra, loading, children, style }: CardProps) {
  const titleId = useId();
  return (
    <section
      aria-labelledby={title === undefined ? undefined : titleId}
      aria-busy={loading === true ? true : undefined}
      style={style}
    >
      <AntCard
        title={title === undefined ? undefined : <span id={titleId}>{title}</span>}
        extra={extra}
        loading={loading === true}
      >
        {children}
      </AntCard>
    </section>
  );
}
