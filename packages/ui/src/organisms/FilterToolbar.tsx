import { Button, Flex, Input, Select } from 'antd';
import type { ReactNode } from 'react';
import type { Option } from '../types.ts';
import { SearchField } from '../molecules/SearchField.tsx';

/** Filters are strings (or absent), so they map one-to-one onto URL search parameters. */
export type FilterValues = Record<string, string | undefined>;

export type FilterDefinition<K extends string = string> =
  | { type: 'select'; key: K; label: string; options: readonly Option[]; width?: number }
  | { type: 'text'; key: K; label: string; placeholder?: string; width?: number }
  /** A day, `YYYY-MM-DD` (the browser's own date field: typed or picked, keyboard included). */
  | { type: 'date'; key: K; label: string; width?: number };

export interface FilterToolbarProps<V extends FilterValues> {
  value: V;
  onChange: (value: V) => void;
  /** The free-text search, debounced. */
  search?: { key: keyof V & string; label: string; placeholder?: string };
  filters?: readonly FilterDefinition<keyof V & string>[];
  /** Buttons at the right end (e.g. "New staff account"). */
  actions?: ReactNode;
}

/**
 * A search box and filter controls, controlled by one value object: keep it in the URL and the list is
 * shareable and survives a reload.
 */
export function FilterToolbar<V extends FilterValues>({
  value,
  onChange,
  search,
  filters = [],
  actions,
}: FilterToolbarProps<V>) {
  const set = (key: keyof V & string, next: string | undefined) =>
    onChange({ ...value, [key]: next === '' ? undefined : next });
  const keys = [...(search === undefined ? [] : [search.key]), ...filters.map((f) => f.key)];
  const active = keys.some((key) => value[key] !== undefined && value[key] !== '');

  return (
    <Flex
      role="search"
      aria-label="Filters"
      gap={8}
      wrap
      align="center"
      style={{ marginBottom: 12 }}
    >
      {search === undefined ? null : (
        <SearchField
          label={search.label}
          {...(search.placeholder === undefined ? {} : { placeholder: search.placeholder })}
          value={value[search.key] ?? ''}
          onSearch={(text) => set(search.key, text.trim())}
        />
      )}
      {filters.map((filter) =>
        filter.type === 'date' ? (
          // A date field shows no placeholder: without a visible label, "from" and "until" look alike.
          <label
            key={filter.key}
            style={{ display: 'inline-flex', alignItems: 'center', gap: 6, whiteSpace: 'nowrap' }}
          >
            <span>{filter.label}</span>
            <Input
              type="date"
              value={value[filter.key] ?? ''}
              style={{ width: filter.width ?? 160 }}
              onChange={(event) => set(filter.key, event.target.value)}
            />
          </label>
        ) : filter.type === 'select' ? (
          <Select
            key={filter.key}
            aria-label={filter.label}
            placeholder={filter.label}
            allowClear
            value={value[filter.key]}
            options={filter.options.map((o) => ({ value: o.value, label: o.label }))}
            style={{ minWidth: filter.width ?? 160 }}
            onChange={(next: string | undefined) => set(filter.key, next)}
          />
        ) : (
          <SearchField
            key={filter.key}
            label={filter.label}
            placeholder={filter.placeholder ?? filter.label}
            value={value[filter.key] ?? ''}
            style={{ width: filter.width ?? 180 }}
            onSearch={(text) => set(filter.key, text.trim())}
          />
        ),
      )}
      {active ? (
        <Button
          type="link"
          onClick={() =>
            onChange({ ...value, ...Object.fromEntries(keys.map((key) => [key, undefined])) })
          }
        >
          Clear filters
        </Button>
      ) : null}
      {actions === undefined ? null : <div style={{ marginLeft: 'auto' }}>{actions}</div>}
    </Flex>
  );
}
