"use client";
import { CopyButton } from "@/components/common/copy-button";
import { RelativeTime } from "@/components/common/relative-time";
import { Card, CardTitle } from "@/components/ui/card";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { curlCommand, maskSecret } from "./secret-dialog";
import type { Trigger } from "./types";
import { TriggerCharts } from "./trigger-charts";

function snippets(t: Trigger) {
  const secret = t.authenticate ? "$TRIGGER_SECRET" : undefined;
  const js = `await fetch("${t.eventUrl}", {
  method: "POST",
  headers: {
    "Content-Type": "application/json",${t.authenticate ? "\n    Authorization: `Bearer ${process.env.TRIGGER_SECRET}`," : ""}
  },
  body: JSON.stringify({ text: "Order 42 was paid" }),
});`;
  const github = `Payload URL:  ${t.eventUrl}
Content type: application/json
Secret:       ${t.authenticate ? "the trigger's secret (GitHub signs each delivery with X-Hub-Signature-256)" : "(not needed: this trigger does not require authentication)"}`;
  return { curl: curlCommand(t.eventUrl, secret), js, github };
}

export function TriggerOverview({ trigger: t }: { trigger: Trigger }) {
  const s = snippets(t);
  const session = t.sessionDuration
    ? `${Math.round(t.sessionDuration / 60_000)} minutes`
    : "none (new conversation per event)";
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
      <Card className="lg:col-span-2">
        <CardTitle>Event URL</CardTitle>
        <div className="flex items-center gap-2">
          <code
            data-testid="event-url"
            className="bg-muted min-w-0 flex-1 rounded p-2 text-xs break-all"
          >
            {t.eventUrl}
          </code>
          <CopyButton value={t.eventUrl} label="Copy event URL" />
        </div>
        <Tabs defaultValue="curl">
          <TabsList>
            <TabsTrigger value="curl">curl</TabsTrigger>
            <TabsTrigger value="js">JavaScript</TabsTrigger>
            <TabsTrigger value="github">GitHub webhook</TabsTrigger>
          </TabsList>
          {(["curl", "js", "github"] as const).map((k) => (
            <TabsContent key={k} value={k}>
              <div className="flex items-start gap-2">
                <pre
                  tabIndex={0}
                  className="bg-muted min-w-0 flex-1 overflow-x-auto rounded p-3 text-xs"
                >
                  {s[k]}
                </pre>
                <CopyButton value={s[k]} label={`Copy ${k === "js" ? "JavaScript" : k} snippet`} />
              </div>
            </TabsContent>
          ))}
        </Tabs>
      </Card>
      <Card>
        <CardTitle>Configuration</CardTitle>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          <dt className="text-muted-foreground">Secret</dt>
          <dd className="font-mono" data-testid="masked-secret">
            {maskSecret(t.secret)}
          </dd>
          <dt className="text-muted-foreground">Authentication</dt>
          <dd>{t.authenticate ? "Required" : "Not required"}</dd>
          <dt className="text-muted-foreground">Schedule</dt>
          <dd>{t.scheduleDescription ?? "None (events only)"}</dd>
          <dt className="text-muted-foreground">Session</dt>
          <dd>{session}</dd>
          <dt className="text-muted-foreground">Description</dt>
          <dd className="break-words">{t.description || "—"}</dd>
          <dt className="text-muted-foreground">Last run</dt>
          <dd>
            <RelativeTime value={t.lastTriggerAt} empty="Never" />
          </dd>
          <dt className="text-muted-foreground">Next run</dt>
          <dd>
            <RelativeTime value={t.nextTriggerAt} empty="Not scheduled" />
          </dd>
        </dl>
      </Card>
      <TriggerCharts triggerId={t.id} />
    </div>
  );
}
