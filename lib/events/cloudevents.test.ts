import { CloudEvent, HTTP } from "cloudevents";
import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/core/errors";
import { looksLikeCloudEvent, readCloudEvents, webhookHandshake } from "./cloudevents";
import { parseEventBody } from "./body";

// Deliveries made by the `cloudevents` package's own serializers, read back by ours.

const event = (id: string, extra: Record<string, unknown> = {}) =>
  new CloudEvent({ id, source: "/shop", type: "order.paid", data: { n: 1 }, ...extra });

function read(message: { headers: Record<string, unknown>; body: unknown }) {
  const headers = new Headers(message.headers as Record<string, string>);
  const raw = new TextEncoder().encode(String(message.body ?? ""));
  return readCloudEvents(headers, raw, parseEventBody(raw, headers.get("content-type")));
}

const problem = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof ApiError ? { status: e.status, message: e.message } : String(e);
  }
  return null;
};

describe("CloudEvents on the event URL", () => {
  it("binary and structured mode give the data as payload and the attributes apart", () => {
    for (const message of [HTTP.binary(event("a")), HTTP.structured(event("a"))]) {
      const delivery = read(message)!;
      expect(delivery.entries).toHaveLength(1);
      expect(delivery.entries[0]).toMatchObject({
        payload: { n: 1 },
        dedupeKey: "ce:/shop#a",
        attributes: { id: "a", source: "/shop", type: "order.paid", specversion: "1.0" },
      });
      expect(delivery.entries[0].attributes).not.toHaveProperty("data");
    }
  });

  it("batch mode is one entry per event; binary data travels as base64", () => {
    const delivery = read({
      headers: { "content-type": "application/cloudevents-batch+json" },
      body: JSON.stringify([event("a"), event("b", { data: undefined, data_base64: "AAEC" })]),
    })!;
    expect(delivery.mode).toBe("batch");
    expect(delivery.entries.map((e) => e.payload)).toEqual([{ n: 1 }, { base64: "AAEC" }]);
  });

  it("a malformed delivery is a 400 naming the problem; a batch over 100 is a 413", () => {
    expect(
      problem(() =>
        read({
          headers: { "content-type": "application/cloudevents+json" },
          body: JSON.stringify({ specversion: "1.0", id: "x", source: "/s" }),
        }),
      ),
    ).toMatchObject({
      status: 400,
      message: expect.stringMatching(/Not a valid CloudEvent: .*type/),
    });
    expect(
      problem(() =>
        read({ headers: { "content-type": "application/cloudevents-batch+json" }, body: "{}" }),
      ),
    ).toMatchObject({ status: 400 });
    expect(
      problem(() =>
        read({
          headers: { "content-type": "application/cloudevents-batch+json" },
          body: JSON.stringify(Array.from({ length: 101 }, (_, i) => event(String(i)))),
        }),
      ),
    ).toMatchObject({ status: 413 });
  });

  it("what the database cannot store in the attributes, a time the SDK cannot write and a batch of thousands are 400s and a 413, before any entry is built", () => {
    const structured = (body: Record<string, unknown>) =>
      problem(() =>
        read({
          headers: { "content-type": "application/cloudevents+json" },
          body: JSON.stringify({ specversion: "1.0", id: "1", source: "/s", type: "t", ...body }),
        }),
      );
    expect(structured({ subject: "a\u0000b" })).toMatchObject({
      status: 400,
      message: expect.stringContaining("attributes hold characters that cannot be stored"),
    });
    expect(structured({ x: { y: "\ud800" } })).toMatchObject({ status: 400 });
    // a leap second passes the SDK's check but not its writer
    expect(
      problem(() =>
        read({
          headers: { "content-type": "application/cloudevents-batch+json" },
          body: JSON.stringify([
            { specversion: "1.0", id: "1", source: "s", type: "t", time: "2016-12-31T23:59:60Z" },
          ]),
        }),
      ),
    ).toMatchObject({ status: 400 });
    // 20,000 tiny entries are counted, not each read
    const many = Array.from({ length: 20_000 }, () => ({
      specversion: "1.0",
      source: "s",
      type: "t",
    }));
    expect(
      problem(() =>
        read({
          headers: { "content-type": "application/cloudevents-batch+json" },
          body: JSON.stringify(many),
        }),
      ),
    ).toMatchObject({ status: 413, message: expect.stringContaining("this one has 20000") });
  });

  it("a charset or capitals in the media type are read as the same type", () => {
    for (const type of [
      "application/cloudevents+json; charset=UTF-8",
      "Application/CloudEvents+JSON",
    ]) {
      const delivery = read({
        headers: { ...HTTP.structured(event("a")).headers, "content-type": type },
        body: HTTP.structured(event("a")).body,
      });
      expect(delivery?.entries[0]).toMatchObject({ payload: { n: 1 }, dedupeKey: "ce:/shop#a" });
    }
  });

  it("other deliveries are not looked at twice", () => {
    expect(looksLikeCloudEvent(new Headers({ "content-type": "application/json" }))).toBe(false);
    expect(read({ headers: { "content-type": "application/json" }, body: "{}" })).toBeNull();
  });

  it("answers the webhook handshake with the origin and the rate", () => {
    const res = webhookHandshake(new Headers({ "webhook-request-origin": "grid.example" }), 120);
    expect(res.status).toBe(200);
    expect(res.headers.get("webhook-allowed-origin")).toBe("grid.example");
    expect(res.headers.get("webhook-allowed-rate")).toBe("120");
    expect(webhookHandshake(new Headers(), 120).status).toBe(204);
  });
});
