import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { Card, Skeleton, Statistic, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useId } from 'react';

export interface StatDelta {
  /** The change, e.g. 12.5 for +12.5 % (format `percent`) or 40 (format `number`). */
  value: number;
  format?: 'percent' | 'number';
  /** What the change is measured against, e.g. "vs yesterday". */
  label?: string;
  /** Whether going up is good news (green) or bad news (red). */
  goodWhen?: 'up' | 'down';
}

export interface StatCardProps {
  label: string;
  value: number | string | null | undefined;
  suffix?: ReactNode;
  precision?: number;
  delta?: StatDelta;
  loading?: boolean;
  /** Shown under the value, e.g. "updated 3 s ago". */
  footer?: ReactNode;
}

function formatDelta(delta: StatDelta): string {
  const sign = delta.value > 0 ? '+' : delta.value < 0 ? '−' : '±';
  const magnitude = Math.abs(delta.value);
  const number =
    delta.format === 'percent'
      ? `${magnitude.toLocaleString(undefined, { maximumFractionDigits: 1 })} %`
      : magnitude.toLocaleString();
  return `${sign}${number}${delta.label === undefined ? '' : ` ${delta.label}`}`;
}

/** One number with its label and its change; a skeleton of the same size while loading. */
export function StatCard({
  label,
  value,
  suffix,
  precision,
  delta,
  loading = false,
  footer,
}: StatCardProps) {
  const labelId = useId();
  const good = delta === undefined || delta.value === 0 ? undefined : (delta.goodWhen ?? 'up');
  const positive =
    good === undefined || delta === undefined ? undefined : delta.value > 0 === (good === 'up');
  return (
    <section aria-labelledby={labelId} aria-busy={loading ? true : undefined}>
      <Card size="small">
        <Typography.Text type="secondary" id={labelId}>
          {label}
        </Typography.Text>
        {loading ? (
          <Skeleton active title={{ width: '60%' }} paragraph={{ rows: 1, width: '40%' }} />
        ) : (
          <>
            <Statistic
              value={value ?? '—'}
              {...(precision === undefined ? {} : { precision })}
              {...(suffix === undefined ? {} : { suffix })}
            />
            {delta === undefined ? null : (
              <Typography.Text
                type={positive === undefined ? 'secondary' : positive ? 'success' : 'danger'}
                data-testid="stat-delta"
              >
                {delta.value > 0 ? <ArrowUpOutlined aria-hidden /> : null}
                {delta.value < 0 ? <ArrowDownOutlined aria-hidden /> : null} {formatDelta(delta)}
              </Typography.Text>
            )}
            {footer === undefined ? null : (
              <div>
                <Typography.Text type="secondary">{footer}</Typography.Text>
              </div>
            )}
          </>
        )}
      </Card>
    </section>
  );
}
