"use client";
import type { UseQueryResult } from "@tanstack/react-query";
import { ArrowLeftIcon } from "lucide-react";
import Link from "next/link";
import { ErrorState, ListSkeleton } from "./states";

/**
 * A page about one record: a link back to its list, a skeleton while it loads,
 * the error with a retry, then the record.
 */
export function DetailPage<T>({
  back,
  query,
  children,
}: {
  back: { href: string; label: string };
  query: UseQueryResult<T>;
  children: (data: T) => React.ReactNode;
}) {
  return (
    <div className="flex min-w-0 flex-col gap-4">
      <Link
        href={back.href}
        className="text-muted-foreground hover:text-foreground inline-flex items-center gap-1 self-start text-sm"
      >
        <ArrowLeftIcon className="size-4" aria-hidden /> {back.label}
      </Link>
      {query.isPending ? (
        <ListSkeleton rows={4} />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : (
        children(query.data)
      )}
    </div>
  );
}
