// The Backoffice component kit, on Ant Design. Atoms → molecules → organisms (the UI-kit spec's layers).
export type { ListPage, Option, ProblemLike, SortOrder, SortState } from './types.ts';
export { downloadBlob, downloadFile, fetchAllPages, toCsv, type CsvValue } from './csv.ts';

export {
  Badge,
  DEFAULT_STATUS_TONES,
  StatusBadge,
  humanize,
  type BadgeProps,
  type StatusBadgeProps,
  type Tone,
} from './atoms/Badge.tsx';
export { Card, type CardProps } from './atoms/Card.tsx';
export { Spinner, type SpinnerProps } from './atoms/Spinner.tsx';
export { VisuallyHidden } from './atoms/VisuallyHidden.tsx';

export {
  ConfirmDialog,
  useConfirm,
  type ConfirmDialogProps,
  type ConfirmOptions,
  type ConfirmRequest,
  type ConfirmValues,
} from './molecules/ConfirmDialog.tsx';
export { EmptyState, type EmptyStateProps } from './molecules/EmptyState.tsx';
export { FormField, type FormFieldProps } from './molecules/FormField.tsx';
export { LiveBadge, type ConnectionState, type LiveBadgeProps } from './molecules/LiveBadge.tsx';
export { PageHeader, type PageHeaderProps } from './molecules/PageHeader.tsx';
export { SearchField, type SearchFieldProps } from './molecules/SearchField.tsx';
export { StatCard, type StatCardProps, type StatDelta } from './molecules/StatCard.tsx';
export { ProblemDetails, toProblem, useToast, type ToastApi } from './molecules/Toast.tsx';

export {
  DataTable,
  type DataTableColumn,
  type DataTableExport,
  type DataTableProps,
  type DataTableSelection,
} from './organisms/DataTable.tsx';
export {
  EditableRowTable,
  type CellEditor,
  type EditableColumn,
  type EditableRowTableProps,
} from './organisms/EditableRowTable.tsx';
export {
  FilterToolbar,
  type FilterDefinition,
  type FilterToolbarProps,
  type FilterValues,
} from './organisms/FilterToolbar.tsx';
export {
  DEFAULT_PAGE_SIZES,
  PaginationBar,
  type PaginationBarProps,
} from './organisms/PaginationBar.tsx';
export { SaveBar, type SaveBarProps } from './organisms/SaveBar.tsx';
