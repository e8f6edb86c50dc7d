import { Tag } from 'antd';
import type { ReactNode } from 'react';

export type Tone = 'success' | 'warning' | 'error' | 'info' | 'neutral' | 'processing';

const COLORS: Record<Tone, string> = {
  success: 'success',
  warning: 'warning',
  error: 'error',
  info: 'blue',
  neutral: 'default',
  processing: 'processing',
};

export interface BadgeProps {
  tone?: Tone;
  icon?: ReactNode;
  /** Longer explanation, shown on hover. */
  title?: string;
  children: ReactNode;
}

/** A short label with a colour. The text always says what the colour means. */
export function Badge({ tone = 'neutral', icon, title, children }: BadgeProps) {
  return (
    <Tag color={COLORS[tone]} icon={icon} title={title} data-tone={tone}>
      {children}
    </Tag>
  );
}

/** How the statuses the API uses are coloured unless a screen says otherwise. */
export const DEFAULT_STATUS_TONES: Readonly<Record<string, Tone>> = {
  active: 'success',
  enabled: 'success',
  connected: 'success',
  live: 'success',
  ok: 'success',
  replayed: 'success',
  pending: 'warning',
  reconnecting: 'warning',
  disabled: 'neutral',
  discarded: 'neutral',
  inactive: 'neutral',
  blocked: 'error',
  locked: 'error',
  failed: 'error',
  error: 'error',
  disconnected: 'error',
};

export function humanize(value: string): string {
  const words = value.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface StatusBadgeProps {
  status: string;
  /** Text to show instead of the status, humanized. */
  label?: string;
  tones?: Readonly<Record<string, Tone>>;
  title?: string;
}

export function StatusBadge({ status, label, tones, title }: StatusBadgeProps) {
  const tone = tones?.[status] ?? DEFAULT_STATUS_TONES[status] ?? 'neutral';
  return (
    <Badge tone={tone} {...(title === undefined ? {} : { title })}>
      {label ?? humanize(status)}
    </Badge>
  );
}
