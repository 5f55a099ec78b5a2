"use client";
import {
  infiniteQueryOptions,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import type { z } from "zod";
import { apiFetch } from "@/lib/client/api-client";
import { fetchAll, fetchPage } from "@/lib/client/api-lists";
import type { serializeDelivery, serializeEndpoint } from "@/lib/outbox/endpoints";
import type { createEndpointSchema } from "@/lib/outbox/schema";

/** A notification endpoint and one of its deliveries, as the API returns them. */
export type Endpoint = ReturnType<typeof serializeEndpoint>;
export type Delivery = ReturnType<typeof serializeDelivery>;
export type EndpointInput = z.input<typeof createEndpointSchema>;

const BASE = "/api/v1/notification/endpoint";

export const endpointsQuery = () =>
  queryOptions({
    queryKey: ["notifications", "endpoints"],
    queryFn: ({ signal }) => fetchAll<Endpoint>(`${BASE}/list`, signal),
  });

export const deliveriesQuery = (endpointId: string) =>
  infiniteQueryOptions({
    queryKey: ["notifications", "deliveries", endpointId],
    queryFn: ({ pageParam, signal }) =>
      fetchPage<Delivery>(
        `${BASE}/${endpointId}/delivery/list`,
        { take: 20, cursor: pageParam },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.cursor,
    // a pending delivery is retried by the server: show its progress
    refetchInterval: (q) =>
      q.state.data?.pages[0]?.items.some((d) => d.status === "pending") ? 2000 : 15_000,
  });

export const useEndpoints = () => useQuery(endpointsQuery());
export const useDeliveries = (endpointId: string) => useInfiniteQuery(deliveriesQuery(endpointId));

export function useEndpointMutations() {
  const qc = useQueryClient();
  const done = () => qc.invalidateQueries({ queryKey: ["notifications"] });
  return {
    create: useMutation({
      mutationFn: (input: EndpointInput) =>
        apiFetch<{ id: string; secret: string }>(`${BASE}/create`, { body: input }),
      onSuccess: done,
    }),
    update: useMutation({
      mutationFn: ({
        id,
        input,
      }: {
        id: string;
        input: Partial<EndpointInput> & { enabled?: boolean };
      }) => apiFetch(`${BASE}/${id}/update`, { body: input }),
      onSuccess: done,
    }),
    remove: useMutation({
      mutationFn: (id: string) => apiFetch(`${BASE}/${id}/delete`, { body: {} }),
      onSuccess: done,
    }),
    rotate: useMutation({
      mutationFn: (id: string) =>
        apiFetch<{ id: string; secret: string }>(`${BASE}/${id}/secret/rotate`, { body: {} }),
    }),
    resend: useMutation({
      mutationFn: ({ id, deliveryId }: { id: string; deliveryId: string }) =>
        apiFetch(`${BASE}/${id}/delivery/${deliveryId}/resend`, { body: {} }),
      onSuccess: done,
    }),
  };
}
