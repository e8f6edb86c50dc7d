import {
  LeftOutlined,
  RightOutlined,
  VerticalLeftOutlined,
  VerticalRightOutlined,
} from '@ant-design/icons';
import { Button, Flex, Select, Typography } from 'antd';
import { useId } from 'react';

export const DEFAULT_PAGE_SIZES = [10, 25, 50, 100] as const;

export interface PaginationBarProps {
  /** 1-based. */
  page: number;
  limit: number;
  total: number;
  onChange: (page: number, limit: number) => void;
  pageSizeOptions?: readonly number[];
  disabled?: boolean;
  /** The landmark's name, when a page has more than one list. */
  label?: string;
  /**
   * Set when more than `total` match and the last page is not known: whether there is a next page,
   * and how many rows this page shows.
   */
  openEnded?: { hasNextPage: boolean; rows: number } | undefined;
}

/**
 * Server-side pagination: where we are, how many there are, and buttons to move. When the server
 * stopped counting (`openEnded`), it says "of more than …", and moves on while there is a next page.
 */
export function PaginationBar({
  page,
  limit,
  total,
  onChange,
  pageSizeOptions = DEFAULT_PAGE_SIZES,
  disabled = false,
  label = 'Pagination',
  openEnded,
}: PaginationBarProps) {
  const sizeId = useId();
  const pages = Math.max(1, Math.ceil(total / limit));
  const first = total === 0 ? 0 : (page - 1) * limit + 1;
  const last = Math.min(total, page * limit);
  const sizes = pageSizeOptions.includes(limit)
    ? pageSizeOptions
    : [...pageSizeOptions, limit].sort((a, b) => a - b);
  const go = (target: number) =>
    onChange(Math.max(1, openEnded === undefined ? Math.min(target, pages) : target), limit);
  const range =
    openEnded === undefined
      ? total === 0
        ? 'No results'
        : `${first.toLocaleString()}–${last.toLocaleString()} of ${total.toLocaleString()}`
      : openEnded.rows === 0
        ? `No results on this page, of more than ${total.toLocaleString()}`
        : `${first.toLocaleString()}–${(first + openEnded.rows - 1).toLocaleString()} of more than ${total.toLocaleString()}`;
  const atEnd = openEnded === undefined ? page >= pages : !openEnded.hasNextPage;

  return (
    <nav aria-label={label}>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ paddingBlock: 8 }}>
        <Typography.Text type="secondary" aria-live="polite">
          {range}
        </Typography.Text>
        <Flex align="center" gap={4} wrap>
          <label htmlFor={sizeId}>
            <Typography.Text type="secondary">Rows per page</Typography.Text>
          </label>
          <Select
            id={sizeId}
            size="small"
            value={limit}
            disabled={disabled}
            style={{ width: 72 }}
            options={sizes.map((size) => ({ value: size, label: String(size) }))}
            onChange={(size: number) => onChange(1, size)}
          />
          <Button
            size="small"
            type="text"
            icon={<VerticalRightOutlined aria-hidden />}
            aria-label="First page"
            disabled={disabled || page <= 1}
            onClick={() => go(1)}
          />
          <Button
            size="small"
            type="text"
            icon={<LeftOutlined aria-hidden />}
            aria-label="Previous page"
            disabled={disabled || page <= 1}
            onClick={() => go(page - 1)}
          />
          <Typography.Text aria-current="page">
            Page {page.toLocaleString()}
            {openEnded === undefined ? ` of ${pages.toLocaleString()}` : ''}
          </Typography.Text>
          <Button
            size="small"
            type="text"
            icon={<RightOutlined aria-hidden />}
            aria-label="Next page"
            disabled={disabled || atEnd}
            onClick={() => go(page + 1)}
          />
          {openEnded === undefined ? (
            <Button
              size="small"
              type="text"
              icon={<VerticalLeftOutlined aria-hidden />}
              aria-label="Last page"
              disabled={disabled || atEnd}
              onClick={() => go(pages)}
            />
          ) : null}
        </Flex>
      </Flex>
    </nav>
  );
}
