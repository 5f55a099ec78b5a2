"use client";
import { Trash2Icon } from "lucide-react";
import type { ReactNode } from "react";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/common/confirm-button";
import { LoadMore } from "@/components/common/load-more";
import { ErrorState, ListSkeleton } from "@/components/common/states";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";

// The one scaffold of a list page: loading, error with retry, empty, the rows (a table or cards),
// more pages as the end comes into view, and a delete that asks first. Every list uses it.

/** What a list needs to know of its query (TanStack Query's results fit). */
export type ListState = {
  isPending: boolean;
  isError: boolean;
  error: Error | null;
  refetch: () => unknown;
};

/** An infinite query's next pages, loaded as the end of the list comes into view. */
export type MorePages = {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
  label: string;
};

/** The next-pages part of an infinite query, for ListBody's `more`. */
export const morePages = (
  q: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown },
  label: string,
): MorePages => ({
  hasNextPage: q.hasNextPage,
  isFetchingNextPage: q.isFetchingNextPage,
  fetchNextPage: q.fetchNextPage,
  label,
});

export function ListBody<T>({
  state,
  items,
  empty,
  more,
  children,
}: {
  state: ListState;
  items: T[] | undefined;
  /** Shown when there are no items (an EmptyState, which may differ when filters are on). */
  empty: ReactNode;
  more?: MorePages;
  children: (items: T[]) => ReactNode;
}) {
  if (state.isPending) return <ListSkeleton />;
  if (state.isError)
    return <ErrorState error={state.error ?? new Error()} onRetry={() => state.refetch()} />;
  if (!items?.length) return <>{empty}</>;
  return (
    <>
      {children(items)}
      {more && <LoadMore {...more} />}
    </>
  );
}

export type Column<T> = {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  className?: string;
  headClassName?: string;
};

/** The rows of a list as a table; `actions` fills a last column whose header only screen readers hear. */
export function DataTable<T extends { id: string }>({
  label,
  rows,
  columns,
  actions,
  rowTestId,
}: {
  label: string;
  rows: T[];
  columns: Column<T>[];
  actions?: (row: T) => ReactNode;
  rowTestId?: string;
}) {
  return (
    <Table aria-label={label}>
      <TableHeader>
        <TableRow>
          {columns.map((c, i) => (
            <TableHead key={i} className={c.headClassName}>
              {c.header}
            </TableHead>
          ))}
          {actions && (
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          )}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.id} data-testid={rowTestId}>
            {columns.map((c, i) => (
              <TableCell key={i} className={c.className}>
                {c.cell(row)}
              </TableCell>
            ))}
            {actions && (
              <TableCell className="text-right whitespace-nowrap">{actions(row)}</TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * Delete (or revoke) one record after a confirmation that says what goes and what stays; a
 * toast says it went, and an error keeps the dialog open with the server's words.
 */
export function DeleteButton({
  name,
  what,
  consequences,
  onDelete,
  verb = "Delete",
  label = `${verb} ${name}`,
  iconOnly = false,
}: {
  name: string;
  /** The kind of record, for the dialog's title: "bot", "blueprint", "token". */
  what: string;
  consequences: string;
  onDelete: () => Promise<unknown>;
  label?: string;
  verb?: string;
  /** Only the icon on the button (its accessible name is still `label`). */
  iconOnly?: boolean;
}) {
  return (
    <ConfirmButton
      label={label}
      title={`${verb} the ${what} “${name}”?`}
      description={consequences}
      confirmLabel={`${verb} “${name}”`}
      onConfirm={() => onDelete().then(() => toast.success(`${verb}d ${name}`))}
    >
      <Trash2Icon /> {!iconOnly && verb}
    </ConfirmButton>
  );
}
