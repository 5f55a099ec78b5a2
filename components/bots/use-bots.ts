"use client";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";
import { fetchAll } from "@/lib/api-lists";

export type Bot = {
  id: string;
  name: string;
  description: string | null;
  model: string;
  backstory: string | null;
  skillsetId: string | null;
  blueprintId: string | null;
  createdAt: string;
};
export type BotInput = {
  name: string;
  description?: string | null;
  model: string;
  backstory?: string | null;
  skillsetId?: string | null;
  blueprintId?: string | null;
};
export type ModelChoice = { id: string; label: string; provider: string };

export const botsQuery = () =>
  queryOptions({
    queryKey: ["bots"],
    queryFn: ({ signal }) => fetchAll<Bot>("/api/v1/bot/list", signal),
  });
export const modelsQuery = () =>
  queryOptions({
    queryKey: ["models"],
    queryFn: ({ signal }) => apiFetch<{ items: ModelChoice[] }>("/api/v1/model/list", { signal }),
    staleTime: Infinity,
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
