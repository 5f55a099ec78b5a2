import "server-only";
import { usageQuerySchema } from "@/lib/stats/schema";
import {
  extendZodWithOpenApi,
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type RouteConfig,
} from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { createBlueprintSchema, updateBlueprintSchema } from "@/lib/blueprints/schema";
import { createBotSchema, updateBotSchema } from "@/lib/bots/schema";
import { listConversationsQuerySchema } from "@/lib/conversations/service";
import {
  createAbilitySchema,
  createSkillsetSchema,
  discoverToolsSchema,
  updateAbilitySchema,
  updateSkillsetSchema,
} from "@/lib/skillsets/schema";
import { decideApprovalSchema, listApprovalsQuerySchema } from "@/lib/approvals/schema";
import { createEndpointSchema, updateEndpointSchema } from "@/lib/outbox/schema";
import {
  createTestCaseSchema,
  dryRunSchema,
  runTestsSchema,
  updateTestCaseSchema,
} from "@/lib/dry-runs/schema";
import { createTokenSchema } from "@/lib/api-tokens/schema";
import {
  createTriggerSchema,
  invokeTriggerSchema,
  listTriggersQuerySchema,
  rotateSecretSchema,
  updateTriggerSchema,
} from "@/lib/triggers/schema";
import {
  bulkReplaySchema,
  filterPreviewSchema,
  listEventsQuerySchema,
  testEventSchema,
} from "@/lib/events/schema";
import { ERROR_STATUS } from "@/lib/core/errors";
import {
  listWithBlueprintQuerySchema,
  listWithMetaQuerySchema,
  listWithoutMetaQuerySchema,
} from "@/lib/core/list-query";

// The document is generated from the very zod schemas the route handlers parse
// with; a test checks every route file under app/api/v1 appears here.
type Route = {
  method: "get" | "post" | "options";
  path: string;
  summary: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  consumes?: string;
};

const idResponse = z.object({ id: z.string() });
const errorBody = z.object({
  message: z.string(),
  code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS]),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

function crud(
  base: string,
  label: string,
  create: z.ZodType,
  update: z.ZodType,
  list: z.ZodObject = listWithBlueprintQuerySchema,
): Route[] {
  return [
    { method: "post", path: `${base}/create`, summary: `Create a ${label}`, body: create },
    {
      method: "get",
      path: `${base}/list`,
      summary: `List ${label}s (JSON page, or JSONL with Accept: application/jsonl)`,
      query: list,
    },
    {
      method: "get",
      path: `${base}/{id}/fetch`,
      summary: `Fetch a ${label} by its id or its alias`,
    },
    { method: "post", path: `${base}/{id}/update`, summary: `Update a ${label}`, body: update },
    { method: "post", path: `${base}/{id}/delete`, summary: `Delete a ${label}` },
  ];
}

export const ROUTES: Route[] = [
  {
    method: "post",
    path: "/integration/trigger/create",
    summary: "Create a trigger",
    body: createTriggerSchema,
  },
  {
    method: "get",
    path: "/integration/trigger/list",
    summary: "List triggers",
    query: listTriggersQuerySchema,
  },
  {
    method: "get",
    path: "/integration/trigger/{id}/fetch",
    summary: "Fetch a trigger (with its secret) by its id or its alias",
  },
  {
    method: "post",
    path: "/integration/trigger/{id}/update",
    summary: "Update a trigger",
    body: updateTriggerSchema,
  },
  { method: "post", path: "/integration/trigger/{id}/delete", summary: "Delete a trigger" },
  {
    method: "post",
    path: "/integration/trigger/{id}/setup",
    summary: "Validate and recompute the schedule",
  },
  {
    method: "post",
    path: "/integration/trigger/{id}/invoke",
    summary: "Queue a manual run",
    body: invokeTriggerSchema,
  },
  {
    method: "post",
    path: "/integration/trigger/{id}/secret/rotate",
    summary: "Rotate the secret (old one valid for a grace period unless revokePrevious)",
    body: rotateSecretSchema,
  },
  {
    method: "post",
    path: "/integration/trigger/{id}/pause",
    summary:
      "Pause: events are still stored (202) but none runs, schedules included, until resumed",
  },
  {
    method: "post",
    path: "/integration/trigger/{id}/resume",
    summary: "Resume: the events held while paused run, oldest first ({held})",
  },
  {
    method: "post",
    path: "/integration/trigger/{id}/reply/secret/rotate",
    summary: "A callback reply's new signing secret (whsec_…), shown once",
  },
  {
    method: "post",
    path: "/integration/trigger/{id}/secret/revoke-previous",
    summary: "End the rotated-out secret's grace period now",
  },
  {
    method: "post",
    path: "/integration/trigger/{id}/event",
    summary:
      "Send an event (any content type, up to 1 MiB; checked by the trigger's verification preset when authenticate is on). CloudEvents in binary, structured (application/cloudevents+json) and batch (application/cloudevents-batch+json, up to 100: answered {events: [...]}) mode are one event each, de-duplicated by source and id",
    consumes: "*/*",
  },
  {
    method: "options",
    path: "/integration/trigger/{id}/event",
    summary:
      "The CloudEvents webhook handshake: with WebHook-Request-Origin, answers WebHook-Allowed-Origin and WebHook-Allowed-Rate",
  },
  {
    method: "get",
    path: "/integration/trigger/{id}/event/list",
    summary: "List a trigger's events",
    query: listEventsQuerySchema,
  },
  {
    method: "get",
    path: "/integration/trigger/{id}/execution/list",
    summary: "List a trigger's events (the name newer ChatBotKit SDKs use)",
    query: listEventsQuerySchema,
  },
  {
    method: "get",
    path: "/integration/trigger/{id}/event/{eventId}/fetch",
    summary: "One event with its run's recorded steps (user message, tool calls, reply)",
  },
  {
    method: "post",
    path: "/integration/trigger/{id}/event/{eventId}/replay",
    summary: "Queue a copy of an event",
  },
  {
    method: "post",
    path: "/integration/trigger/{id}/event/replay",
    summary: "Replay up to 1,000 of the trigger's events with a status (since a time)",
    body: bulkReplaySchema,
  },
  {
    method: "post",
    path: "/integration/trigger/{id}/event/{eventId}/cancel",
    summary: "Cancel a queued event, or stop a running one before its next step",
  },
  {
    method: "post",
    path: "/integration/trigger/{id}/event/{eventId}/approval",
    summary:
      "Approve or deny a call that waits for a decision ({decision, note?, approvalId?}); the run then continues",
    body: decideApprovalSchema,
  },
  {
    method: "post",
    path: "/integration/trigger/{id}/event/{eventId}/dry-run",
    summary:
      "Run the bot again on the stored event with overrides (model, backstory, prompt, abilities, maxIterations, liveReads); ability calls are answered from the original run's recordings, nothing is sent, the event is untouched; the result (reply, tool calls and how each was answered, tokens, time, the original for comparison) is kept 7 days",
    body: dryRunSchema,
  },
  {
    method: "get",
    path: "/integration/trigger/{id}/event/{eventId}/dry-run/list",
    summary: "The event's dry runs of the last 7 days, newest first",
    query: listWithoutMetaQuerySchema,
  },
  {
    method: "post",
    path: "/integration/trigger/{id}/test/case/create",
    summary:
      "Save a stored event as a test case with expectations (reply_contains, reply_not_contains, reply_matches, tool_called, tool_not_called); at most 50 per trigger",
    body: createTestCaseSchema,
  },
  {
    method: "get",
    path: "/integration/trigger/{id}/test/case/list",
    summary: "The trigger's test cases",
    query: listWithoutMetaQuerySchema,
  },
  {
    method: "get",
    path: "/integration/trigger/{id}/test/case/{caseId}/fetch",
    summary: "One test case with the event it keeps",
  },
  {
    method: "post",
    path: "/integration/trigger/{id}/test/case/{caseId}/update",
    summary: "A test case's name or expectations",
    body: updateTestCaseSchema,
  },
  {
    method: "post",
    path: "/integration/trigger/{id}/test/case/{caseId}/delete",
    summary: "Delete a test case",
  },
  {
    method: "post",
    path: "/integration/trigger/{id}/test/run",
    summary:
      "Run every test case (or caseIds) as a dry run against the current configuration with optional overrides; pass or fail per expectation",
    body: runTestsSchema,
  },
  {
    method: "get",
    path: "/integration/trigger/{id}/test/run/list",
    summary: "The trigger's last 20 test runs, newest first",
    query: listWithoutMetaQuerySchema,
  },
  {
    method: "get",
    path: "/integration/trigger/{id}/approval/list",
    summary: "The trigger's approvals, newest first (status filter)",
    query: listApprovalsQuerySchema,
  },
  {
    method: "get",
    path: "/approval/list",
    summary:
      "Every approval of the account, newest first, with the event's data (status, triggerId, meta.* on the trigger)",
    query: listApprovalsQuerySchema,
  },
  { method: "get", path: "/approval/count", summary: "How many calls wait for a decision" },
  {
    method: "post",
    path: "/integration/trigger/{id}/execution/{executionId}/cancel",
    summary: "Cancel an event (the name newer ChatBotKit SDKs use)",
  },
  {
    method: "get",
    path: "/integration/trigger/{id}/event/stats",
    summary:
      "Events per hour over 24 hours and per day over 30 days, by status, with end-to-end latency p50/p95 and tokens",
  },
  {
    method: "get",
    path: "/integration/trigger/{id}/usage",
    summary:
      "Model tokens the trigger's runs used (from, to; default this month), per UTC day, and its budget",
    query: usageQuerySchema,
  },
  {
    method: "get",
    path: "/account/overview",
    summary:
      "The account at a glance: totals, the triggers with failures first, the latest failures",
  },
  {
    method: "post",
    path: "/integration/trigger/{id}/filter/preview",
    summary: "How a filter expression decides on the trigger's last 20 events",
    body: filterPreviewSchema,
  },
  {
    method: "post",
    path: "/integration/trigger/{id}/test-event",
    summary:
      "Send a test event signed as the trigger's sender would, and see the answer and whether verification passed (never the signature)",
    body: testEventSchema,
  },
  {
    method: "get",
    path: "/model/list",
    summary:
      "Models available to bots on this server: MODELS_ALLOWED, else the OpenAI-compatible server's own /v1/models list, else the providers' defaults ({items, message?})",
  },
  ...crud("/bot", "bot", createBotSchema, updateBotSchema),
  ...crud("/skillset", "skillset", createSkillsetSchema, updateSkillsetSchema),
  {
    method: "post",
    path: "/skillset/{id}/ability/create",
    summary: "Add an ability",
    body: createAbilitySchema,
  },
  {
    method: "get",
    path: "/skillset/{id}/ability/list",
    summary: "List a skillset's abilities",
    query: listWithMetaQuerySchema,
  },
  {
    method: "get",
    path: "/skillset/{id}/ability/{abilityId}/fetch",
    summary: "Fetch an ability (an MCP server's with its tools)",
  },
  {
    method: "post",
    path: "/skillset/{id}/ability/{abilityId}/refresh",
    summary: "Ask an MCP server for its tools again (502 when it does not answer)",
  },
  {
    method: "post",
    path: "/skillset/{id}/ability/discover",
    summary: "An MCP server's tools, nothing saved (the form's Test connection)",
    body: discoverToolsSchema,
  },
  {
    method: "post",
    path: "/skillset/{id}/ability/{abilityId}/update",
    summary: "Update an ability",
    body: updateAbilitySchema,
  },
  {
    method: "post",
    path: "/skillset/{id}/ability/{abilityId}/delete",
    summary: "Delete an ability",
  },
  ...crud(
    "/blueprint",
    "blueprint",
    createBlueprintSchema,
    updateBlueprintSchema,
    listWithMetaQuerySchema,
  ),
  {
    method: "get",
    path: "/conversation/list",
    summary: "List conversations",
    query: listConversationsQuerySchema,
  },
  { method: "get", path: "/conversation/{id}/fetch", summary: "Fetch a conversation" },
  { method: "post", path: "/conversation/{id}/delete", summary: "Delete a conversation" },
  {
    method: "get",
    path: "/conversation/{id}/message/list",
    summary: "List a conversation's messages",
    query: listWithoutMetaQuerySchema,
  },
  {
    method: "get",
    path: "/contact/list",
    summary: "List contacts",
    query: listWithMetaQuerySchema,
  },
  { method: "get", path: "/contact/{id}/fetch", summary: "Fetch a contact" },
  {
    method: "post",
    path: "/token/create",
    summary:
      "Create an API token (returned once; optional expiresInDays); needs a sign-in within 10 minutes or the account's password",
    body: createTokenSchema,
  },
  { method: "get", path: "/token/list", summary: "List API tokens" },
  { method: "post", path: "/token/{id}/delete", summary: "Revoke an API token" },
  {
    method: "post",
    path: "/notification/endpoint/create",
    summary:
      "A webhook for event.failed, event.completed, approval.requested, budget.exceeded, trigger.paused; answers {id, secret} (the Standard Webhooks secret, shown once)",
    body: createEndpointSchema,
  },
  {
    method: "get",
    path: "/notification/endpoint/list",
    summary: "The account's notification endpoints",
    query: listWithoutMetaQuerySchema,
  },
  { method: "get", path: "/notification/endpoint/{id}/fetch", summary: "One endpoint" },
  {
    method: "post",
    path: "/notification/endpoint/{id}/update",
    summary: "Change the URL, event types or description; enabled: true turns it on again",
    body: updateEndpointSchema,
  },
  { method: "post", path: "/notification/endpoint/{id}/delete", summary: "Delete an endpoint" },
  {
    method: "post",
    path: "/notification/endpoint/{id}/secret/rotate",
    summary: "A new signing secret, shown once",
  },
  {
    method: "get",
    path: "/notification/endpoint/{id}/delivery/list",
    summary: "The endpoint's deliveries, newest first (status, last HTTP status, attempts)",
    query: listWithoutMetaQuerySchema,
  },
  {
    method: "post",
    path: "/notification/endpoint/{id}/delivery/{deliveryId}/resend",
    summary: "Send a delivery again, as a new one",
  },
  { method: "get", path: "/openapi.json", summary: "This document" },
];

extendZodWithOpenApi(z);

/**
 * The generator annotates each query parameter with `.openapi()`, which only
 * schemas created after extendZodWithOpenApi have; our schemas are created at
 * import time, before it. Wrapping each field derives a schema that has it
 * (every query field is optional already, so `.optional()` changes nothing).
 */
function queryParameters(query: z.ZodObject) {
  return z.object(
    Object.fromEntries(
      Object.entries(query.shape).map(([k, v]) => [k, (v as z.ZodType).optional()]),
    ),
  );
}

let cached: unknown;

export function openApiDocument() {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  for (const r of ROUTES) {
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const config: RouteConfig = {
      method: r.method,
      path: r.path,
      summary: r.summary,
      security: r.path.endsWith("/event") || r.path === "/openapi.json" ? [] : [{ bearer: [] }],
      request: {
        ...(params.length && {
          params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))),
        }),
        ...(r.query && { query: queryParameters(r.query) }),
        ...(r.body && { body: { content: { "application/json": { schema: r.body } } } }),
        ...(r.consumes && { body: { content: { [r.consumes]: { schema: z.unknown() } } } }),
      },
      responses: {
        200: {
          description: "OK",
          content: {
            "application/json": {
              schema:
                r.method === "post" ? idResponse.passthrough() : z.record(z.string(), z.unknown()),
            },
          },
        },
        default: { description: "Error", content: { "application/json": { schema: errorBody } } },
      },
    };
    registry.registerPath(config);
  }
  cached = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Trigger integration API",
      version: "1.0.0",
      description: "ChatBotKit-compatible trigger integrations, bots, skillsets and conversations.",
    },
    servers: [{ url: "/api/v1" }],
  });
  return cached;
}
