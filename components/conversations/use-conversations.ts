"use client";
import {
  infiniteQueryOptions,
  queryOptions,
  useInfiniteQuery,
  useQuery,
} from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-client";
import { fetchPage } from "@/lib/client/api-lists";
import type {
  fetchConversation,
  listConversations,
  serializeMessage,
} from "@/lib/conversations/service";

/** A row of GET /conversation/list, typed from the server's own function (with its summary). */
export type Conversation = Awaited<ReturnType<typeof listConversations>>["items"][number];
export type ConversationRecord = Awaited<ReturnType<typeof fetchConversation>>;

/** A message as GET /conversation/{id}/message/list returns it. */
export type Message = ReturnType<typeof serializeMessage>;

type Filters = { triggerId?: string; botId?: string };

/** Fast while something is happening, slower the longer the log has been quiet. */
function pollInterval(live: boolean, lastActivity?: string) {
  if (live) return 1000;
  const quiet = lastActivity ? Date.now() - Date.parse(lastActivity) : Infinity;
  return quiet < 60_000 ? 2000 : quiet < 600_000 ? 5000 : 10_000;
}

export const conversationsQuery = (filters: Filters, live = false) =>
  infiniteQueryOptions({
    queryKey: ["conversations", "list", filters],
    queryFn: ({ pageParam, signal }) =>
      fetchPage<Conversation>(
        "/api/v1/conversation/list",
        { take: 20, cursor: pageParam, ...filters },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.cursor,
    refetchInterval: (q) =>
      pollInterval(live, q.state.data?.pages[0]?.items[0]?.lastActivityAt ?? undefined),
  });

export const messagesQuery = (conversationId: string, live = false) =>
  infiniteQueryOptions({
    queryKey: ["conversations", "messages", conversationId],
    queryFn: ({ pageParam, signal }) =>
      fetchPage<Message>(
        `/api/v1/conversation/${conversationId}/message/list`,
        { take: 100, order: "asc", cursor: pageParam },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.cursor,
    refetchInterval: live ? 1000 : 10_000,
  });

export const useConversations = (filters: Filters, live?: boolean) =>
  useInfiniteQuery(conversationsQuery(filters, live));
export const useMessages = (conversationId: string, live?: boolean) =>
  useInfiniteQuery(messagesQuery(conversationId, live));

export const conversationQuery = (id: string) =>
  queryOptions({
    queryKey: ["conversations", "detail", id],
    queryFn: ({ signal }) =>
      apiFetch<ConversationRecord>(`/api/v1/conversation/${id}/fetch`, { signal }),
  });
export const useConversation = (id: string) => useQuery(conversationQuery(id));
