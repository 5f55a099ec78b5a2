"use client";
import { useEffect, useRef } from "react";
import { Skeleton } from "@/components/ui/skeleton";

/** Loads the next page as the end of a list comes into view. */
export function LoadMore({
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  label = "items",
}: {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
  label?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || !hasNextPage) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries[0]?.isIntersecting && !isFetchingNextPage) fetchNextPage();
      },
      { rootMargin: "400px" },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  return (
    <div ref={ref} data-testid="load-more" className="py-2">
      {isFetchingNextPage ? (
        <div role="status" className="flex flex-col gap-2" aria-label={`Loading more ${label}`}>
          <Skeleton className="h-12" />
          <Skeleton className="h-12" />
        </div>
      ) : !hasNextPage ? (
        <p className="text-muted-foreground text-center text-xs">End of {label}</p>
      ) : null}
    </div>
  );
}
