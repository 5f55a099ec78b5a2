import "server-only";
import type { NotificationEndpoint, OutboxRow, Trigger } from "@/db/schema";
import { env } from "@/lib/core/env";
import { decryptSecret } from "@/lib/crypto/secrets";
import { replySecrets } from "./reply";
import { signedHeaders } from "./sign";

// What an outbox row becomes on the wire. A reply's address comes from the event's payload only
// where the provider defines it (Slack's channel and thread, GitHub's repository and number, a
// Slack response_url); the host is always the configured API's, so a token never follows a
// sender's link. Ours (callbacks, notifications) are signed with Standard Webhooks.

const USER_AGENT = "trigger-dashboard/1.0";

export type Outgoing = {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Header names that carry credentials (never sent on after a redirect to another origin). */
  privateHeaders: string[];
  /** Reads a 2xx answer: Slack says `ok: false` with a 200. */
  check?: (body: string) => { error: string; retry: boolean } | null;
};

/** Why nothing can be sent (a permanent failure, recorded as such). */
export class Undeliverable extends Error {}

const get = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>(
    (v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined),
    o,
  );
const text = (v: unknown) =>
  typeof v === "string" && v ? v : typeof v === "number" ? String(v) : null;

/** A reply for the trigger's target, from the event it answers. */
export function replyRequest(
  row: OutboxRow,
  trigger: Pick<Trigger, "reply" | "replySecretsEnc">,
  payload: unknown,
  /** Whether the trigger authenticated the event's sender when it arrived. */
  senderVerified = false,
): Outgoing {
  const reply = String(row.body.reply ?? "");
  const target = trigger.reply;
  if (!target) throw new Undeliverable("The trigger no longer has a reply target");
  const secrets = replySecrets(trigger);
  if (target.type === "slack") {
    // an Events API delivery names its channel and message; a slash command its channel_id
    const channel = text(get(payload, "event", "channel")) ?? text(get(payload, "channel_id"));
    if (!channel) throw new Undeliverable("The event names no Slack channel to reply in");
    const thread = text(get(payload, "event", "thread_ts")) ?? text(get(payload, "event", "ts"));
    return {
      url: `${env().SLACK_API_URL.replace(/\/$/, "")}/chat.postMessage`,
      headers: {
        authorization: `Bearer ${secrets.token ?? ""}`,
        "content-type": "application/json; charset=utf-8",
        "user-agent": USER_AGENT,
      },
      body: JSON.stringify({ channel, ...(thread && { thread_ts: thread }), text: reply }),
      privateHeaders: ["authorization"],
      check: (body) => {
        try {
          const answer = JSON.parse(body) as { ok?: boolean; error?: string };
          if (answer.ok) return null;
          return {
            error: `Slack answered ${answer.error ?? "not ok"}`,
            retry: answer.error === "ratelimited",
          };
        } catch {
          return { error: "Slack's answer was not JSON", retry: true };
        }
      },
    };
  }
  if (target.type === "github") {
    const repo = text(get(payload, "repository", "full_name"));
    if (!repo || !/^[\w.-]+\/[\w.-]+$/.test(repo))
      throw new Undeliverable("The event names no GitHub repository to comment in");
    const number =
      text(get(payload, "issue", "number")) ??
      text(get(payload, "pull_request", "number")) ??
      text(get(payload, "number"));
    if (!number || !/^\d+$/.test(number))
      throw new Undeliverable("The event names no issue or pull request to comment on");
    return {
      url: `${env().GITHUB_API_URL.replace(/\/$/, "")}/repos/${repo}/issues/${number}/comments`,
      headers: {
        authorization: `Bearer ${secrets.token ?? ""}`,
        accept: "application/vnd.github+json",
        "x-github-api-version": "2022-11-28",
        "content-type": "application/json",
        "user-agent": USER_AGENT,
      },
      body: JSON.stringify({ body: reply }),
      privateHeaders: ["authorization"],
    };
  }
  // callback: Slack's response_url when the payload has one (slash commands, interactivity).
  // Whoever sends the event names it, so it is believed only from a sender the trigger
  // authenticated: else anyone knowing the event URL could have the bot's reply (and what its
  // tools found) posted where they like, a Slack webhook of their own workspace included.
  const responseUrl = text(get(payload, "response_url"));
  const believed = senderVerified && responseUrl && /^https?:\/\//.test(responseUrl);
  const url = believed ? responseUrl : target.url;
  if (!url)
    throw new Undeliverable(
      responseUrl
        ? "The event's response_url is not used (the trigger did not authenticate its sender) and no callback URL is set"
        : "No response_url in the event and no callback URL set",
    );
  if (!secrets.signingSecret) throw new Undeliverable("The callback has no signing secret");
  const body = JSON.stringify({
    eventId: row.eventId,
    conversationId: row.conversationId,
    reply,
    status: row.body.status ?? "completed",
    // what Slack's response_url shows
    text: reply,
  });
  return {
    url,
    headers: {
      "content-type": "application/json",
      "user-agent": USER_AGENT,
      ...signedHeaders(secrets.signingSecret, row.id, body),
    },
    body,
    privateHeaders: [],
  };
}

/** A notification to an endpoint, signed with its secret. */
export function notificationRequest(row: OutboxRow, endpoint: NotificationEndpoint): Outgoing {
  if (!endpoint.enabled) throw new Undeliverable("The endpoint is disabled");
  const body = JSON.stringify({
    type: row.type,
    timestamp: row.createdAt.toISOString(),
    data: row.body.data ?? {},
  });
  return {
    url: endpoint.url,
    headers: {
      "content-type": "application/json",
      "user-agent": USER_AGENT,
      ...signedHeaders(decryptSecret(endpoint.secretEnc), row.id, body),
    },
    body,
    privateHeaders: [],
  };
}
