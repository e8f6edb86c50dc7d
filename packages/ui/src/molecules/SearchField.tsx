import { SearchOutlined } from '@ant-design/icons';
import { Input } from 'antd';
import type { CSSProperties } from 'react';
import { useEffect, useRef, useState } from 'react';

export interface SearchFieldProps {
  /** The accessible name, e.g. "Search staff". */
  label: string;
  value: string;
  /** Called once typing pauses for `debounceMs`, at once on Enter, and when cleared. */
  onSearch: (value: string) => void;
  placeholder?: string;
  debounceMs?: number;
  style?: CSSProperties;
  autoFocus?: boolean;
}

/** A search box that reports what was typed after a pause, not on every keystroke. */
export function SearchField({
  label,
  value,
  onSearch,
  placeholder,
  debounceMs = 300,
  style,
  autoFocus,
}: SearchFieldProps) {
  const [text, setText] = useState(value);
  const onSearchRef = useRef(onSearch);
  onSearchRef.current = onSearch;
  const lastReported = useRef(value);

  // The value changed from outside (back button, "clear filters"): show it.
  useEffect(() => {
    lastReported.current = value;
    setText(value);
  }, [value]);

  useEffect(() => {
    if (text === lastReported.current) return undefined;
    const timer = window.setTimeout(() => {
      if (text === lastReported.current) return;
      lastReported.current = text;
      onSearchRef.current(text);
    }, debounceMs);
    return () => window.clearTimeout(timer);
  }, [text, debounceMs]);

  const reportNow = (next: string) => {
    if (next === lastReported.current) return;
    lastReported.current = next;
    onSearchRef.current(next);
  };

  return (
    <Input
      type="search"
      aria-label={label}
      placeholder={placeholder ?? label}
      prefix={<SearchOutlined aria-hidden />}
      value={text}
      allowClear
      autoFocus={autoFocus}
      style={style ?? { width: 260 }}
      onChange={(event) => {
        setText(event.target.value);
        // The clear button sends an empty value: no need to wait.
        if (event.type !== 'change' && event.target.value === '') reportNow('');
      }}
      onPressEnter={() => reportNow(text)}
    />
  );
}
