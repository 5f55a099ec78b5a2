import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import type { OutboxRow } from "@/db/schema";
import { replyColumns } from "./reply";
import { replyRequest, Undeliverable } from "./targets";

// The request each reply target makes, from the event it answers: the address from the payload
// only where the provider defines it, the host always the configured API's.

const row = (over: Partial<OutboxRow> = {}) =>
  ({
    id: "outbox_1",
    eventId: "event_1",
    conversationId: "conversation_1",
    body: { reply: "Done.", status: "completed" },
    ...over,
  }) as OutboxRow;

const target = (input: Parameters<typeof replyColumns>[0]) => replyColumns(input)!.columns;

describe("reply targets", () => {
  it("Slack: chat.postMessage into the message's thread, with the token", () => {
    const out = replyRequest(row(), target({ type: "slack", token: "xoxb-1" }), {
      event: { channel: "C1", ts: "1.5", thread_ts: "1.0" },
    });
    expect(out.url).toBe("https://slack.com/api/chat.postMessage");
    expect(out.headers.authorization).toBe("Bearer xoxb-1");
    expect(JSON.parse(out.body)).toEqual({ channel: "C1", thread_ts: "1.0", text: "Done." });
    expect(out.check?.('{"ok":false,"error":"ratelimited"}')).toEqual({
      error: "Slack answered ratelimited",
      retry: true,
    });
    expect(out.check?.('{"ok":true}')).toBeNull();
    expect(() => replyRequest(row(), target({ type: "slack", token: "x" }), {})).toThrow(
      Undeliverable,
    );
  });

  it("GitHub: the comments URL is built from the repository and number, never from a link in the payload", () => {
    const t = target({ type: "github", token: "ghp_1" });
    const out = replyRequest(row(), t, {
      issue: { number: 7, comments_url: "https://evil.example/x" },
      repository: { full_name: "acme/shop" },
    });
    expect(out.url).toBe("https://api.github.com/repos/acme/shop/issues/7/comments");
    expect(JSON.parse(out.body)).toEqual({ body: "Done." });
    for (const payload of [
      { issue: { number: 7 }, repository: { full_name: "../../admin" } },
      { issue: { number: "7/../../x" }, repository: { full_name: "acme/shop" } },
      { repository: { full_name: "acme/shop" } },
    ])
      expect(() => replyRequest(row(), t, payload)).toThrow(Undeliverable);
  });

  it("callback: to the response_url, else the configured URL, signed so the receiver verifies it", () => {
    const made = replyColumns({ type: "callback", url: "https://example.com/replies" })!;
    const columns = made.columns;
    const out = replyRequest(row(), columns, { response_url: "https://hooks.slack.com/x" }, true);
    expect(out.url).toBe("https://hooks.slack.com/x");
    expect(
      new Webhook(made.signingSecret!).verify(out.body, out.headers as Record<string, string>),
    ).toMatchObject({ eventId: "event_1", reply: "Done.", status: "completed" });
    expect(replyRequest(row(), columns, {}, true).url).toBe("https://example.com/replies");
    const bare = target({ type: "callback" });
    expect(() => replyRequest(row(), bare, {})).toThrow(/No response_url/);
  });

  it("callback: from a sender the trigger did not authenticate, the payload's response_url is not believed", () => {
    const columns = target({ type: "callback", url: "https://example.com/replies" });
    for (const elsewhere of [
      "https://attacker.example/collect",
      // a Slack webhook of the stranger's own workspace would show them the reply too
      "https://hooks.slack.com/services/T0/B0/x",
    ])
      expect(replyRequest(row(), columns, { response_url: elsewhere }, false).url).toBe(
        "https://example.com/replies",
      );
    const bare = target({ type: "callback" });
    expect(() =>
      replyRequest(row(), bare, { response_url: "https://attacker.example/collect" }, false),
    ).toThrow(/response_url is not used/);
    // a verified sender's own address is believed
    expect(
      replyRequest(row(), bare, { response_url: "https://partner.example/cb" }, true).url,
    ).toBe("https://partner.example/cb");
  });

  it("the token is kept by an update that leaves it out, and needed when there is none", () => {
    const first = target({ type: "github", token: "ghp_keep" });
    const kept = replyColumns({ type: "github" }, first)!.columns;
    expect(
      replyRequest(row(), kept, { issue: { number: 1 }, repository: { full_name: "a/b" } }).headers
        .authorization,
    ).toBe("Bearer ghp_keep");
    expect(() => replyColumns({ type: "slack" }, first)).toThrow(/token is needed/);
  });
});
