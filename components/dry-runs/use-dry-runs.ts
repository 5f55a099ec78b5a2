"use client";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { apiFetch } from "@/lib/client/api-client";
import { fetchAll, fetchPage } from "@/lib/client/api-lists";
import type { DryRunView } from "@/lib/dry-runs/dry-run";
import type { createTestCaseSchema, dryRunSchema, runTestsSchema } from "@/lib/dry-runs/schema";
import type { serializeTestCase, serializeTestRun } from "@/lib/dry-runs/service";

/** A dry run, a test case and a test run, as the API returns them. */
export type DryRun = DryRunView;
export type TestCase = ReturnType<typeof serializeTestCase>;
export type TestRun = ReturnType<typeof serializeTestRun>;
export type Overrides = z.input<typeof dryRunSchema>;
export type TestCaseInput = z.input<typeof createTestCaseSchema>;

const BASE = "/api/v1/integration/trigger";

export const testCasesQuery = (triggerId: string) =>
  queryOptions({
    queryKey: ["tests", "cases", triggerId],
    queryFn: ({ signal }) => fetchAll<TestCase>(`${BASE}/${triggerId}/test/case/list`, signal),
  });

export const testRunsQuery = (triggerId: string) =>
  queryOptions({
    queryKey: ["tests", "runs", triggerId],
    queryFn: ({ signal }) =>
      fetchPage<TestRun>(`${BASE}/${triggerId}/test/run/list`, { take: 10 }, signal),
  });

export const useTestCases = (triggerId: string) => useQuery(testCasesQuery(triggerId));
export const useTestRuns = (triggerId: string) => useQuery(testRunsQuery(triggerId));

/** Runs the bot again on a stored event with the changes; the result comes back whole. */
export function useDryRun(triggerId: string, eventId: string) {
  return useMutation({
    mutationFn: (overrides: Overrides) =>
      apiFetch<DryRun>(`${BASE}/${triggerId}/event/${eventId}/dry-run`, { body: overrides }),
  });
}

export function useSaveTestCase(triggerId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: TestCaseInput) =>
      apiFetch<TestCase>(`${BASE}/${triggerId}/test/case/create`, { body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["tests", "cases", triggerId] }),
  });
}

export function useDeleteTestCase(triggerId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (caseId: string) =>
      apiFetch<{ id: string }>(`${BASE}/${triggerId}/test/case/${caseId}/delete`, { body: {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["tests", "cases", triggerId] }),
  });
}

export function useRunTests(triggerId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: z.input<typeof runTestsSchema>) =>
      apiFetch<TestRun>(`${BASE}/${triggerId}/test/run`, { body: input }),
    onSettled: () => qc.invalidateQueries({ queryKey: ["tests", "runs", triggerId] }),
  });
}
