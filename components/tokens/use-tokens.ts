"use client";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-client";
import type { TokenItem } from "@/lib/api-tokens";
import type { CreateTokenInput } from "@/lib/api-tokens/schema";

export type { TokenItem };

export const tokensQuery = () =>
  queryOptions({
    queryKey: ["tokens"],
    queryFn: ({ signal }) => apiFetch<{ items: TokenItem[] }>("/api/v1/token/list", { signal }),
  });

export const useTokens = () => useQuery(tokensQuery());

export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateTokenInput) =>
      apiFetch<{ id: string; token: string; expiresAt: string | null }>("/api/v1/token/create", {
        body: input,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["tokens"] }),
  });
}

export function useDeleteToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch(`/api/v1/token/${id}/delete`, { body: {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["tokens"] }),
  });
}
