"use client";
import {
  infiniteQueryOptions,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import type { DecideApprovalInput } from "@/lib/approvals/schema";
import type { listApprovals, serializeApproval } from "@/lib/approvals/service";
import { apiFetch } from "@/lib/client/api-client";
import { fetchPage } from "@/lib/client/api-lists";

/** A row of GET /api/v1/approval/list: the call, its decision and the event's data. */
export type ApprovalItem = Awaited<ReturnType<typeof listApprovals>>["items"][number];
export type Approval = ReturnType<typeof serializeApproval>;

export const approvalsQuery = (status: string | undefined) =>
  infiniteQueryOptions({
    queryKey: ["approvals", "list", { status }],
    queryFn: ({ pageParam, signal }) =>
      fetchPage<ApprovalItem>(
        "/api/v1/approval/list",
        { take: 25, cursor: pageParam, ...(status && { status }) },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.cursor,
    refetchInterval: 5000,
  });

/** How many calls wait for a decision; the navigation polls it. */
export const approvalCountQuery = () =>
  queryOptions({
    queryKey: ["approvals", "count"],
    queryFn: ({ signal }) => apiFetch<{ pending: number }>("/api/v1/approval/count", { signal }),
    refetchInterval: 10_000,
  });

export const useApprovals = (status?: string) => useInfiniteQuery(approvalsQuery(status));
export const useApprovalCount = () => useQuery(approvalCountQuery());

/** Approve or deny one call; the approvals, the event and its conversation refresh. */
export function useDecideApproval() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      triggerId,
      eventId,
      ...input
    }: DecideApprovalInput & { triggerId: string; eventId: string }) =>
      apiFetch<Approval>(`/api/v1/integration/trigger/${triggerId}/event/${eventId}/approval`, {
        body: input,
      }),
    onSuccess: (_, { triggerId }) =>
      Promise.all([
        qc.invalidateQueries({ queryKey: ["approvals"] }),
        qc.invalidateQueries({ queryKey: ["triggers", "events", triggerId] }),
        qc.invalidateQueries({ queryKey: ["conversations"] }),
      ]),
  });
}
