"use client";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-client";
import { fetchAll } from "@/lib/client/api-lists";
import type { z } from "zod";
import type { createAbilitySchema } from "@/lib/skillsets/schema";
import type { serializeAbility, serializeSkillset } from "@/lib/skillsets/service";
import type { McpToolView } from "@/lib/abilities/tools";

/** A skillset and an ability as the API returns them. */
export type Skillset = ReturnType<typeof serializeSkillset>;
export type Ability = ReturnType<typeof serializeAbility>;
export type AbilityInput = z.input<typeof createAbilitySchema>;
export type { McpToolView };

export const skillsetsQuery = () =>
  queryOptions({
    queryKey: ["skillsets"],
    queryFn: ({ signal }) => fetchAll<Skillset>("/api/v1/skillset/list", signal),
  });
export const abilitiesQuery = (skillsetId: string) =>
  queryOptions({
    queryKey: ["skillsets", skillsetId, "abilities"],
    queryFn: ({ signal }) =>
      fetchAll<Ability>(`/api/v1/skillset/${skillsetId}/ability/list`, signal),
    // a form may ask before it knows the skillset (a bot without one)
    enabled: Boolean(skillsetId),
  });

export const useSkillsets = () => useQuery(skillsetsQuery());
export const useAbilities = (skillsetId: string) => useQuery(abilitiesQuery(skillsetId));

export function useSkillsetMutations() {
  const qc = useQueryClient();
  const done = () => qc.invalidateQueries({ queryKey: ["skillsets"] });
  return {
    create: useMutation({
      mutationFn: (input: { name: string; description?: string }) =>
        apiFetch<{ id: string }>("/api/v1/skillset/create", { body: input }),
      onSuccess: done,
    }),
    update: useMutation({
      mutationFn: ({
        id,
        input,
      }: {
        id: string;
        input: { name?: string; description?: string | null };
      }) => apiFetch(`/api/v1/skillset/${id}/update`, { body: input }),
      onSuccess: done,
    }),
    remove: useMutation({
      mutationFn: (id: string) => apiFetch(`/api/v1/skillset/${id}/delete`, { body: {} }),
      onSuccess: done,
    }),
    addAbility: useMutation({
      mutationFn: ({ skillsetId, input }: { skillsetId: string; input: AbilityInput }) =>
        apiFetch<{ id: string }>(`/api/v1/skillset/${skillsetId}/ability/create`, { body: input }),
      onSuccess: done,
    }),
    updateAbility: useMutation({
      mutationFn: ({
        skillsetId,
        id,
        input,
      }: {
        skillsetId: string;
        id: string;
        input: AbilityInput;
      }) => apiFetch(`/api/v1/skillset/${skillsetId}/ability/${id}/update`, { body: input }),
      onSuccess: done,
    }),
    /** "Test connection": an MCP server's tools before the ability is saved. */
    discoverTools: useMutation({
      mutationFn: ({
        skillsetId,
        config,
      }: {
        skillsetId: string;
        config: { url: string; headers?: Record<string, string>; timeoutMs?: number };
      }) =>
        apiFetch<{ tools: McpToolView[] }>(`/api/v1/skillset/${skillsetId}/ability/discover`, {
          body: { config },
        }),
    }),
    /** "Refresh tools": a saved MCP server asked for its tools again. */
    refreshTools: useMutation({
      mutationFn: ({ skillsetId, id }: { skillsetId: string; id: string }) =>
        apiFetch<Ability>(`/api/v1/skillset/${skillsetId}/ability/${id}/refresh`, { body: {} }),
      onSuccess: done,
    }),
    removeAbility: useMutation({
      mutationFn: ({ skillsetId, id }: { skillsetId: string; id: string }) =>
        apiFetch(`/api/v1/skillset/${skillsetId}/ability/${id}/delete`, { body: {} }),
      onSuccess: done,
    }),
  };
}
