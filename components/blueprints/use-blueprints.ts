"use client";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-client";
import { fetchAll } from "@/lib/client/api-lists";
import type { serializeBlueprint } from "@/lib/blueprints/service";

/** A blueprint as the API returns it. */
export type Blueprint = ReturnType<typeof serializeBlueprint>;

export const blueprintsQuery = () =>
  queryOptions({
    queryKey: ["blueprints"],
    queryFn: ({ signal }) => fetchAll<Blueprint>("/api/v1/blueprint/list", signal),
  });
export const useBlueprints = () => useQuery(blueprintsQuery());

export function useCreateBlueprint() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; description?: string }) =>
      apiFetch<{ id: string }>("/api/v1/blueprint/create", { body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["blueprints"] }),
  });
}

export function useDeleteBlueprint() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch(`/api/v1/blueprint/${id}/delete`, { body: {} }),
    onSuccess: () => qc.invalidateQueries(),
  });
}
