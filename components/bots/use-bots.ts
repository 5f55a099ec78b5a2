"use client";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-client";
import { fetchAll } from "@/lib/client/api-lists";
import type { z } from "zod";
import type { ModelChoice, ModelList } from "@/lib/models";
import type { updateBotSchema } from "@/lib/bots/schema";
import type { serializeBot } from "@/lib/bots/service";

/** A bot as the API returns it (GET /api/v1/bot/list). */
export type Bot = ReturnType<typeof serializeBot>;
/** What the bot form sends: a whole bot on create, the fields that change on update. */
export type BotInput = z.input<typeof updateBotSchema>;
export type { ModelChoice };

export const botsQuery = () =>
  queryOptions({
    queryKey: ["bots"],
    queryFn: ({ signal }) => fetchAll<Bot>("/api/v1/bot/list", signal),
  });
export const modelsQuery = () =>
  queryOptions({
    queryKey: ["models"],
    queryFn: ({ signal }) => apiFetch<ModelList>("/api/v1/model/list", { signal }),
    // a model server's list changes when its operator pulls a model: read it again now and then
    staleTime: 60_000,
  });

export const useBots = () => useQuery(botsQuery());
export const useModels = () => useQuery(modelsQuery());

export function useSaveBot() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: BotInput }) =>
      apiFetch<{ id: string }>(id ? `/api/v1/bot/${id}/update` : "/api/v1/bot/create", {
        body: input,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["bots"] }),
  });
}

export function useDeleteBot() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch(`/api/v1/bot/${id}/delete`, { body: {} }),
    // not optimistic: a bot in use is refused (409) and the confirmation stays open with the reason
    onSuccess: () => qc.invalidateQueries({ queryKey: ["bots"] }),
  });
}
