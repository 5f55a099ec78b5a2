"use client";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";

export type TokenItem = {
  id: string;
  name: string;
  lastFour: string;
  lastUsedAt: string | null;
  createdAt: string;
};

export const tokensQuery = () =>
  queryOptions({
    queryKey: ["tokens"],
    queryFn: ({ signal }) => apiFetch<{ items: TokenItem[] }>("/api/v1/token/list", { signal }),
  });

export const useTokens = () => useQuery(tokensQuery());

export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) =>
      apiFetch<{ id: string; token: string }>("/api/v1/token/create", { body: { name } }),
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
