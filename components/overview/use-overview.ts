"use client";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-client";
import type { accountOverview } from "@/lib/stats/service";

export type AccountOverview = Awaited<ReturnType<typeof accountOverview>>;

export const overviewQuery = () =>
  queryOptions({
    queryKey: ["overview"],
    queryFn: ({ signal }) => apiFetch<AccountOverview>("/api/v1/account/overview", { signal }),
    refetchInterval: 30_000,
  });

export const useOverview = () => useQuery(overviewQuery());
