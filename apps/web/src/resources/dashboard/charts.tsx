import { Card, VisuallyHidden } from '@backoffice/ui';
import { Segmented, Skeleton, theme } from 'antd';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import type { DashboardMetrics } from '../../api/types.ts';
import { formatMoney, formatNumber } from '../../format.ts';

const CHART_HEIGHT = 280;

/** Axis, grid and tooltip colours from the Ant Design theme: the charts follow dark mode. */
function useChartColours() {
  const { token } = theme.useToken();
  return {
    primary: token.colorPrimary,
    secondary: token.colorSuccess,
    text: token.colorTextSecondary,
    grid: token.colorSplit,
    tooltip: {
      background: token.colorBgElevated,
      border: `1px solid ${token.colorBorderSecondary}`,
      borderRadius: token.borderRadius,
      color: token.colorText,
    },
  };
}

/** "2026-11-20" → "20 Nov". */
function shortDay(date: string): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(parsed.getTime())
    ? date
    : parsed.toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/** Same height loading or loaded: the page does not jump when the data comes. */
function ChartFrame({
  loading,
  summary,
  label,
  children,
}: {
  loading: boolean;
  summary: string;
  label: string;
  children: ReactNode;
}) {
  if (loading)
    return (
      <div style={{ height: CHART_HEIGHT }} aria-busy="true" aria-label={`${label} (loading)`}>
        <Skeleton.Node active style={{ width: '100%', height: CHART_HEIGHT - 8 }} />
      </div>
    );
  return (
    <figure aria-label={label} style={{ margin: 0, height: CHART_HEIGHT }}>
      {children}
      <figcaption>
        <VisuallyHidden>{summary}</VisuallyHidden>
      </figcaption>
    </figure>
  );
}

interface TooltipEntry {
  dataKey?: unknown;
  name?: unknown;
  value?: unknown;
  color?: string | undefined;
}

function TooltipBox({
  active,
  payload,
  label,
  colours,
  format,
}: {
  active?: boolean | undefined;
  payload?: readonly TooltipEntry[] | undefined;
  label?: unknown;
  colours: ReturnType<typeof useChartColours>;
  format: (name: string, value: number) => string;
}) {
  if (active !== true || payload === undefined || payload.length === 0) return null;
  return (
    <div style={{ ...colours.tooltip, padding: '6px 10px', fontSize: 12 }}>
      <div style={{ fontWeight: 600 }}>{String(label)}</div>
      {payload.map((entry) => (
        <div key={String(entry.dataKey)} style={{ color: entry.color }}>
          {String(entry.name)}: {format(String(entry.dataKey), Number(entry.value))}
        </div>
      ))}
    </div>
  );
}

type Period = 'daily' | 'weekly';

/** Registrations per day or week (bars) and the total number of users (line). */
export function GrowthChart({ growth }: { growth: DashboardMetrics['growth'] | undefined }) {
  const [period, setPeriod] = useState<Period>('daily');
  const colours = useChartColours();
  const data =
    growth === undefined
      ? []
      : period === 'daily'
        ? growth.daily.map((d) => ({
            label: shortDay(d.date),
            registrations: d.registrations,
            total: d.total,
          }))
        : growth.weekly.map((w) => ({
            label: `week of ${shortDay(w.weekStart)}`,
            registrations: w.registrations,
            total: w.total,
          }));
  const first = data[0];
  const last = data.at(-1);
  const registered = data.reduce((sum, d) => sum + d.registrations, 0);
  const summary =
    first === undefined || last === undefined
      ? 'No data yet.'
      : `Users grew from ${formatNumber(first.total)} to ${formatNumber(last.total)} between ${first.label} and ${last.label}, with ${formatNumber(registered)} registrations.`;

  return (
    <Card
      title="User growth"
      extra={
        <Segmented<Period>
          aria-label="Growth period"
          size="small"
          value={period}
          onChange={setPeriod}
          options={[
            { value: 'daily', label: 'Daily' },
            { value: 'weekly', label: 'Weekly' },
          ]}
        />
      }
    >
      <ChartFrame loading={growth === undefined} label={`User growth, ${period}`} summary={summary}>
        <ComposedChart
          responsive
          data={data}
          style={{ width: '100%', height: CHART_HEIGHT }}
          margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
        >
          <CartesianGrid stroke={colours.grid} vertical={false} />
          <XAxis dataKey="label" tick={{ fill: colours.text, fontSize: 12 }} minTickGap={24} />
          <YAxis
            yAxisId="total"
            tick={{ fill: colours.text, fontSize: 12 }}
            width={56}
            domain={['auto', 'auto']}
            tickFormatter={(v: number) => formatNumber(v)}
          />
          <YAxis
            yAxisId="registrations"
            orientation="right"
            allowDecimals={false}
            tick={{ fill: colours.text, fontSize: 12 }}
            width={40}
          />
          <Tooltip
            content={(props) => (
              <TooltipBox
                active={props.active}
                payload={props.payload}
                label={props.label}
                colours={colours}
                format={(_, v) => formatNumber(v)}
              />
            )}
          />
          <Legend wrapperStyle={{ color: colours.text, fontSize: 12 }} />
          <Bar
            yAxisId="registrations"
            dataKey="registrations"
            name="Registrations"
            fill={colours.secondary}
            isAnimationActive={false}
          />
          <Line
            yAxisId="total"
            dataKey="total"
            name="Total users"
            stroke={colours.primary}
            strokeWidth={2}
            dot={false}
            type="monotone"
            isAnimationActive={false}
          />
        </ComposedChart>
      </ChartFrame>
    </Card>
  );
}

/** Transaction volume (bars) and count (line) per day, for the last 30 days. */
export function VolumeChart({
  daily,
}: {
  daily: DashboardMetrics['transactions']['daily'] | undefined;
}) {
  const colours = useChartColours();
  const data = (daily ?? []).map((d) => ({
    label: shortDay(d.date),
    volume: Number(d.volume),
    count: d.count,
  }));
  const volume = data.reduce((sum, d) => sum + d.volume, 0);
  const count = data.reduce((sum, d) => sum + d.count, 0);
  const summary = `${formatNumber(count)} transactions with a volume of ${formatMoney(volume)} in the last 30 days.`;

  return (
    <Card title="Transaction volume, last 30 days">
      <ChartFrame
        loading={daily === undefined}
        label="Transaction volume per day, last 30 days"
        summary={summary}
      >
        <ComposedChart
          responsive
          data={data}
          style={{ width: '100%', height: CHART_HEIGHT }}
          margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
        >
          <CartesianGrid stroke={colours.grid} vertical={false} />
          <XAxis dataKey="label" tick={{ fill: colours.text, fontSize: 12 }} minTickGap={24} />
          <YAxis
            yAxisId="volume"
            tick={{ fill: colours.text, fontSize: 12 }}
            width={64}
            tickFormatter={(v: number) => formatNumber(v)}
          />
          <YAxis
            yAxisId="count"
            orientation="right"
            allowDecimals={false}
            tick={{ fill: colours.text, fontSize: 12 }}
            width={40}
          />
          <Tooltip
            content={(props) => (
              <TooltipBox
                active={props.active}
                payload={props.payload}
                label={props.label}
                colours={colours}
                format={(key, v) => (key === 'volume' ? formatMoney(v) : formatNumber(v))}
              />
            )}
          />
          <Legend wrapperStyle={{ color: colours.text, fontSize: 12 }} />
          <Bar
            yAxisId="volume"
            dataKey="volume"
            name="Volume"
            fill={colours.primary}
            isAnimationActive={false}
          />
          <Line
            yAxisId="count"
            dataKey="count"
            name="Transactions"
            stroke={colours.secondary}
            strokeWidth={2}
            dot={false}
            type="monotone"
            isAnimationActive={false}
          />
        </ComposedChart>
      </ChartFrame>
    </Card>
  );
}
