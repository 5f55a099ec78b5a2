"use client";
import {
  infiniteQueryOptions,
  keepPreviousData,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-client";
import { fetchPage } from "@/lib/client/api-lists";
import type { sendTestEvent } from "@/lib/triggers/test-event";
import type { EventDetail, Trigger, TriggerEvent, TriggerInput, TriggerStats } from "./types";

const BASE = "/api/v1/integration/trigger";

export const triggersQuery = (filters: { blueprintId?: string; search?: string }) =>
  infiniteQueryOptions({
    queryKey: ["triggers", "list", filters],
    queryFn: ({ pageParam, signal }) =>
      fetchPage<Trigger>(`${BASE}/list`, { take: 25, cursor: pageParam, ...filters }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.cursor,
  });

/** One page of the newest triggers whose name contains `search`: the options of a trigger picker. */
export const triggerPickerQuery = (search: string) =>
  queryOptions({
    queryKey: ["triggers", "picker", search],
    queryFn: ({ signal }) => fetchPage<Trigger>(`${BASE}/list`, { take: 100, search }, signal),
    placeholderData: keepPreviousData,
  });

export const triggerQuery = (id: string) =>
  queryOptions({
    queryKey: ["triggers", "detail", id],
    queryFn: ({ signal }) => apiFetch<Trigger>(`${BASE}/${id}/fetch`, { signal }),
  });

export type EventFilters = {
  status?: string;
  kind?: string;
  /** Text anywhere in the payload. */
  search?: string;
  /** ISO times: received at or after / before. */
  from?: string;
  to?: string;
};

/** Polls every second while something is in flight, slower the longer the trigger has been quiet. */
export const eventsQuery = (triggerId: string, filters: EventFilters = {}) =>
  infiniteQueryOptions({
    queryKey: ["triggers", "events", triggerId, filters],
    queryFn: ({ pageParam, signal }) =>
      fetchPage<TriggerEvent>(
        `${BASE}/${triggerId}/event/list`,
        { take: 25, cursor: pageParam, ...filters },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.cursor,
    refetchInterval: (q) => {
      const items = q.state.data?.pages[0]?.items ?? [];
      if (items.some((e) => ["queued", "processing", "batched"].includes(e.status))) return 1000;
      const newest = items[0] ? Date.now() - Date.parse(items[0].createdAt) : Infinity;
      return newest < 10 * 60_000 ? 2000 : 4000;
    },
  });

/** One event with its run's recorded steps; polls while it is queued or running. */
export const eventDetailQuery = (triggerId: string, eventId: string) =>
  queryOptions({
    queryKey: ["triggers", "events", triggerId, "detail", eventId],
    queryFn: ({ signal }) =>
      apiFetch<EventDetail>(`${BASE}/${triggerId}/event/${eventId}/fetch`, { signal }),
    refetchInterval: (q) =>
      ["queued", "processing", "batched"].includes(q.state.data?.status ?? "")
        ? 1000
        : q.state.data?.status === "waiting"
          ? 3000
          : false,
  });

export const useEventDetail = (triggerId: string, eventId: string) =>
  useQuery(eventDetailQuery(triggerId, eventId));

/** The newest event the trigger received from outside (what a prompt preview renders against). */
export const latestEventQuery = (triggerId: string) =>
  queryOptions({
    queryKey: ["triggers", "events", triggerId, { kind: "event", take: 1 }],
    queryFn: ({ signal }) =>
      fetchPage<TriggerEvent>(
        `${BASE}/${triggerId}/event/list`,
        { take: 1, kind: "event" },
        signal,
      ),
  });

export type FilterPreview =
  | { valid: false; problem: { message: string; line: number; column: number } }
  | {
      valid: true;
      matched: number;
      total: number;
      events: { id: string; matched: boolean; error?: string }[];
    };

/** How a filter decides on the trigger's last 20 events (the server evaluates it). */
export const filterPreviewQuery = (triggerId: string, filter: string) =>
  queryOptions({
    queryKey: ["triggers", "filter-preview", triggerId, filter],
    queryFn: ({ signal }) =>
      apiFetch<FilterPreview>(`${BASE}/${triggerId}/filter/preview`, {
        body: { filter },
        signal,
      }),
    placeholderData: keepPreviousData,
  });

export const statsQuery = (triggerId: string) =>
  queryOptions({
    queryKey: ["triggers", "stats", triggerId],
    queryFn: ({ signal }) => apiFetch<TriggerStats>(`${BASE}/${triggerId}/event/stats`, { signal }),
    refetchInterval: 30_000,
  });

export const useTriggers = (filters: { blueprintId?: string; search?: string }) =>
  useInfiniteQuery(triggersQuery(filters));
export const useTriggerPicker = (search: string) => useQuery(triggerPickerQuery(search));
export const useTrigger = (id: string) => useQuery(triggerQuery(id));
export const useTriggerEvents = (id: string, filters?: EventFilters) =>
  useInfiniteQuery(eventsQuery(id, filters));
export const useTriggerStats = (id: string) => useQuery(statsQuery(id));
export const useLatestEvent = (id: string | undefined, enabled: boolean) =>
  useQuery({ ...latestEventQuery(id ?? ""), enabled: Boolean(id) && enabled });

function useInvalidate() {
  const qc = useQueryClient();
  return (...keys: unknown[][]) =>
    Promise.all(keys.map((queryKey) => qc.invalidateQueries({ queryKey })));
}

export function useCreateTrigger() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (input: TriggerInput) =>
      apiFetch<{ id: string; secret: string; eventUrl: string; replySecret?: string }>(
        `${BASE}/create`,
        { body: input },
      ),
    onSuccess: () => invalidate(["triggers", "list"]),
  });
}

export function useUpdateTrigger(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (input: TriggerInput) =>
      apiFetch<{ id: string; replySecret?: string }>(`${BASE}/${id}/update`, { body: input }),
    onSuccess: () => invalidate(["triggers"]),
  });
}

export function useDeleteTrigger() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => apiFetch<{ id: string }>(`${BASE}/${id}/delete`, { body: {} }),
    onSuccess: () => invalidate(["triggers", "list"]),
  });
}

export function useRotateSecret(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: () =>
      apiFetch<{ id: string; secret: string }>(`${BASE}/${id}/secret/rotate`, { body: {} }),
    onSuccess: () => invalidate(["triggers", "detail", id]),
  });
}

/** A callback reply's new signing secret (shown once). */
export function useRotateReplySecret(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: () =>
      apiFetch<{ id: string; replySecret: string }>(`${BASE}/${id}/reply/secret/rotate`, {
        body: {},
      }),
    onSuccess: () => invalidate(["triggers", "detail", id]),
  });
}

/** Pause (events are stored and held) or resume (what was held runs, in order). */
export function usePauseTrigger(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (pause: boolean) =>
      apiFetch<{ id: string; paused: boolean; held?: number }>(
        `${BASE}/${id}/${pause ? "pause" : "resume"}`,
        { body: {} },
      ),
    onSuccess: () => invalidate(["triggers"]),
  });
}

export function useRevokePreviousSecret(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: () =>
      apiFetch<{ id: string }>(`${BASE}/${id}/secret/revoke-previous`, { body: {} }),
    onSuccess: () => invalidate(["triggers", "detail", id]),
  });
}

export function useInvokeTrigger(id: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: () =>
      apiFetch<{ id: string; eventId: string }>(`${BASE}/${id}/invoke`, { body: {} }),
    onSuccess: () => invalidate(["triggers", "events", id], ["conversations"]),
  });
}

export function useCancelEvent(triggerId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (eventId: string) =>
      apiFetch<{ id: string; eventId: string }>(`${BASE}/${triggerId}/event/${eventId}/cancel`, {
        body: {},
      }),
    onSuccess: () => invalidate(["triggers", "events", triggerId], ["conversations"]),
  });
}

export function useReplayAll(triggerId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (status: "failed" | "cancelled") =>
      apiFetch<{ replayed: number }>(`${BASE}/${triggerId}/event/replay`, { body: { status } }),
    onSuccess: () => invalidate(["triggers", "events", triggerId], ["conversations"]),
  });
}

export type TestEventResult = Awaited<ReturnType<typeof sendTestEvent>>;

export function useSendTestEvent(triggerId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (input: { body: string; contentType: string; query?: string }) =>
      apiFetch<TestEventResult>(`${BASE}/${triggerId}/test-event`, { body: input }),
    onSuccess: () => invalidate(["triggers", "events", triggerId], ["conversations"]),
  });
}

export function useReplayEvent(triggerId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (eventId: string) =>
      apiFetch<{ id: string; eventId: string }>(`${BASE}/${triggerId}/event/${eventId}/replay`, {
        body: {},
      }),
    onSuccess: () => invalidate(["triggers", "events", triggerId], ["conversations"]),
  });
}

/** Replay or cancel many events, one request each; says how many went through. */
export function useBulkEventAction(triggerId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ action, ids }: { action: "replay" | "cancel"; ids: string[] }) => {
      const results = await Promise.allSettled(
        ids.map((id) => apiFetch(`${BASE}/${triggerId}/event/${id}/${action}`, { body: {} })),
      );
      const failed = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
      return {
        done: results.length - failed.length,
        failed: failed.length,
        firstError: failed[0] ? String((failed[0].reason as Error).message) : null,
      };
    },
    onSettled: () => invalidate(["triggers", "events", triggerId], ["conversations"]),
  });
}
