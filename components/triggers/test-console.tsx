"use client";
import { SendIcon } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { SOURCE_GUIDES, type VerificationType } from "@/lib/triggers/verification";
import type { Trigger } from "./types";
import { useSendTestEvent } from "./use-triggers";

const SAMPLES: Partial<Record<VerificationType, unknown>> = {
  github: {
    action: "opened",
    issue: { number: 1, title: "Test issue" },
    repository: { full_name: "acme/app" },
  },
  stripe: {
    id: "evt_test_console",
    type: "payment_intent.succeeded",
    data: { object: { amount: 2000, currency: "usd" } },
  },
  slack: {
    type: "event_callback",
    event_id: "Ev_test_console",
    event: { type: "app_mention", text: "hello bot" },
  },
  shopify: { id: 1001, email: "buyer@example.com", total_price: "20.00" },
  "standard-webhooks": { type: "user.created", data: { id: "user_1", email: "ann@example.com" } },
};

/** Sends a payload signed exactly as the trigger's sender would, and shows the answer. */
export function TestConsole({ trigger }: { trigger: Trigger }) {
  const type = trigger.verification.type;
  const [body, setBody] = useState(
    JSON.stringify(SAMPLES[type] ?? { text: "Hello from the test console" }, null, 2),
  );
  const [error, setError] = useState<string | null>(null);
  const send = useSendTestEvent(trigger.id);
  const result = send.data;
  return (
    <Card>
      <CardTitle>Send test event</CardTitle>
      <CardDescription>
        Signed as {SOURCE_GUIDES[type].label} would sign it
        {trigger.authenticate ? "" : " (this trigger does not check senders)"}, through the event
        endpoint itself: the answer is what the sender would get.
      </CardDescription>
      <form
        className="grid gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          try {
            JSON.parse(body);
          } catch (err) {
            return setError(`Not JSON: ${err instanceof Error ? err.message : "parse error"}`);
          }
          setError(null);
          send.mutate({ body, contentType: "application/json" });
        }}
      >
        <Label htmlFor="test-event-body">Test payload (JSON)</Label>
        <Textarea
          id="test-event-body"
          value={body}
          onChange={(e) => setBody(e.target.value)}
          rows={6}
          className="font-mono text-xs"
          aria-invalid={Boolean(error)}
        />
        {error && (
          <p className="text-destructive text-xs" role="alert">
            {error}
          </p>
        )}
        <Button type="submit" variant="outline" disabled={send.isPending} className="w-fit">
          <SendIcon /> {send.isPending ? "Sending…" : "Send test event"}
        </Button>
      </form>
      {send.isError && (
        <p className="text-destructive text-sm" role="alert">
          {send.error.message}
        </p>
      )}
      {result && (
        <div className="grid gap-1 text-xs" data-testid="test-event-result">
          <p>
            Answer:{" "}
            <span
              className={
                result.response.status < 300 ? "font-medium" : "text-destructive font-medium"
              }
            >
              {result.response.status}
            </span>
          </p>
          <pre
            tabIndex={0}
            className="bg-muted max-h-48 overflow-auto rounded p-2 break-all whitespace-pre-wrap"
          >
            {JSON.stringify(result.response.body, null, 2)}
          </pre>
          <p data-testid="test-event-verification">Verification: {result.verification}</p>
          <details>
            <summary className="text-muted-foreground cursor-pointer">
              The same request with curl (the signature is your sender&apos;s to make)
            </summary>
            <pre
              tabIndex={0}
              className="bg-muted mt-1 overflow-auto rounded p-2 break-all whitespace-pre-wrap"
            >
              {result.curl}
            </pre>
          </details>
        </div>
      )}
    </Card>
  );
}
