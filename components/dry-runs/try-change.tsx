"use client";
import { FlaskConicalIcon } from "lucide-react";
import { useId, useState } from "react";
import { useBots, useModels } from "@/components/bots/use-bots";
import { useTrigger } from "@/components/triggers/use-triggers";
import { JsonBlock } from "@/components/common/json-view";
import { OptionSelect } from "@/components/common/option-select";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/textarea";
import { compareCalls, replyDiff } from "@/lib/client/compare-runs";
import { SaveTestCaseButton } from "./test-case-dialog";
import { useDryRun, type DryRun, type Overrides } from "./use-dry-runs";

const BOT_MODEL = "__bot";

/**
 * "Try a change" on the event inspector: edit the model, backstory, prompt or step limit, run
 * the bot again on this event as a dry run (every ability call answered from the original run's
 * recordings, nothing sent), and see the original and the dry run side by side.
 */
export function TryChange({ triggerId, eventId }: { triggerId: string; eventId: string }) {
  const id = useId();
  const trigger = useTrigger(triggerId);
  const botModel = useBots().data?.find((b) => b.id === trigger.data?.botId)?.model;
  const models = useModels();
  const run = useDryRun(triggerId, eventId);
  const [model, setModel] = useState(BOT_MODEL);
  const [backstory, setBackstory] = useState("");
  const [prompt, setPrompt] = useState("");
  const [maxIterations, setMaxIterations] = useState("");
  const [liveReads, setLiveReads] = useState(false);
  const iterations = maxIterations.trim() === "" ? undefined : Number(maxIterations);

  const overrides: Overrides = {
    ...(model !== BOT_MODEL && { model }),
    ...(backstory.trim() && { backstory }),
    ...(prompt.trim() && { prompt }),
    ...(iterations !== undefined && { maxIterations: iterations }),
    ...(liveReads && { liveReads }),
  };
  return (
    <Card>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <CardTitle>Try a change</CardTitle>
        <SaveTestCaseButton triggerId={triggerId} eventId={eventId} lastRun={run.data} />
      </div>
      <p className="text-muted-foreground text-sm">
        Runs the bot again on this event with your changes. Ability calls are answered from what the
        original run recorded: nothing is sent, no reply or notification goes out, and the event
        stays as it is. Leave a field empty to keep the bot&apos;s or trigger&apos;s own.
      </p>
      <form
        aria-label="Try a change"
        className="grid grid-cols-1 gap-3 md:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate(overrides);
        }}
      >
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={`${id}-model`}>Model</Label>
          <OptionSelect
            id={`${id}-model`}
            value={model}
            onChange={setModel}
            first={{
              value: BOT_MODEL,
              label: botModel ? `The bot's model (${botModel})` : "The bot's model",
            }}
            options={models.data?.items.map((m) => ({ value: m.id, label: m.label }))}
          />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={`${id}-iterations`}>Max iterations</Label>
          <Input
            id={`${id}-iterations`}
            type="number"
            min={1}
            max={20}
            placeholder="The trigger's"
            value={maxIterations}
            onChange={(e) => setMaxIterations(e.target.value)}
          />
        </div>
        <div className="flex flex-col gap-1.5 md:col-span-2">
          <Label htmlFor={`${id}-backstory`}>Backstory</Label>
          <Textarea
            id={`${id}-backstory`}
            rows={3}
            placeholder="The bot's backstory"
            value={backstory}
            onChange={(e) => setBackstory(e.target.value)}
          />
        </div>
        <div className="flex flex-col gap-1.5 md:col-span-2">
          <Label htmlFor={`${id}-prompt`}>Prompt</Label>
          <Textarea
            id={`${id}-prompt`}
            rows={3}
            placeholder="The trigger's prompt ({{payload.*}} placeholders work as in the trigger)"
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
          />
        </div>
        <div className="flex items-center gap-2 md:col-span-2">
          <Switch id={`${id}-live`} checked={liveReads} onCheckedChange={setLiveReads} />
          <Label htmlFor={`${id}-live`}>
            Let calls the original run did not make run live when the ability only reads
          </Label>
        </div>
        <div className="flex items-center gap-3 md:col-span-2">
          <Button type="submit" disabled={run.isPending}>
            <FlaskConicalIcon aria-hidden /> {run.isPending ? "Running…" : "Run dry run"}
          </Button>
          {run.isError && (
            <p role="alert" className="text-destructive text-sm">
              {run.error.message}
            </p>
          )}
        </div>
      </form>
      {run.data && <SideBySide run={run.data} />}
    </Card>
  );
}

const ANSWER_LABEL = {
  recorded: "answered from the recording",
  not_recorded: "not recorded",
  live: "ran live (read)",
  refused: "refused: invalid input",
} as const;

type Call = { name: string; input: unknown; output?: unknown; error?: string | null };

/** The original run and the dry run next to each other: reply, reply changes, tool calls. */
function SideBySide({ run }: { run: DryRun }) {
  const original = run.original ?? { reply: null, toolCalls: [] };
  const changes = compareCalls<Call & { answer?: string }>(original.toolCalls, run.toolCalls);
  const tokens =
    run.inputTokens === null && run.outputTokens === null
      ? "no tokens reported"
      : `${(run.inputTokens ?? 0) + (run.outputTokens ?? 0)} tokens (dry-run usage)`;
  return (
    <section aria-label="Original and dry run" className="flex flex-col gap-4">
      <p className="text-muted-foreground text-sm" role="status">
        Dry run {run.status} with {run.model} in {run.durationMs} ms, {tokens}; {run.recorded} call
        {run.recorded === 1 ? "" : "s"} answered from the recording, {run.notRecorded} not recorded.
      </p>
      {run.error && (
        <p role="alert" className="text-destructive text-sm">
          {run.error}
        </p>
      )}
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <ReplyColumn title="Original reply" text={original.reply} />
        <ReplyColumn title="Dry run reply" text={run.reply} />
      </div>
      {original.reply !== null && run.reply !== null && original.reply !== run.reply && (
        <div>
          <h3 className="text-sm font-medium">Reply changes</h3>
          <p aria-label="Reply changes" className="text-sm break-words whitespace-pre-wrap">
            {replyDiff(original.reply, run.reply).map((p, i) =>
              p.change === "added" ? (
                <ins key={i} className="bg-emerald-500/15 no-underline">
                  {p.text}
                </ins>
              ) : p.change === "removed" ? (
                <del key={i} className="bg-red-500/15">
                  {p.text}
                </del>
              ) : (
                <span key={i}>{p.text}</span>
              ),
            )}
          </p>
        </div>
      )}
      <div>
        <h3 className="text-sm font-medium">Tool calls</h3>
        {changes.length === 0 ? (
          <p className="text-muted-foreground text-sm">Neither run called a tool.</p>
        ) : (
          <ul aria-label="Tool call changes" className="flex flex-col gap-3">
            {changes.map((c, i) => {
              const call = c.dry ?? c.original;
              return (
                <li key={i} className="flex flex-col gap-2 rounded-md border p-3">
                  <div className="flex flex-wrap items-center gap-2 text-sm">
                    <Badge
                      variant={
                        c.kind === "added"
                          ? "success"
                          : c.kind === "removed"
                            ? "destructive"
                            : c.kind === "changed"
                              ? "default"
                              : "outline"
                      }
                    >
                      {c.kind}
                    </Badge>
                    <span className="font-mono">{call.name}</span>
                    {c.dry?.answer && (
                      <span className="text-muted-foreground text-xs">
                        {ANSWER_LABEL[c.dry.answer as keyof typeof ANSWER_LABEL]}
                      </span>
                    )}
                  </div>
                  <div className="grid grid-cols-1 gap-2 md:grid-cols-2">
                    <JsonBlock
                      label={`Original input of ${call.name}`}
                      value={c.original ? c.original.input : "(not called)"}
                      className="max-h-40"
                    />
                    <JsonBlock
                      label={`Dry run input of ${call.name}`}
                      value={c.dry ? c.dry.input : "(not called)"}
                      className="max-h-40"
                    />
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </section>
  );
}

function ReplyColumn({ title, text }: { title: string; text: string | null }) {
  return (
    <section aria-label={title} className="min-w-0 rounded-md border p-3">
      <h3 className="text-sm font-medium">{title}</h3>
      <p className="text-sm break-words whitespace-pre-wrap">
        {text ?? <span className="text-muted-foreground">(no reply)</span>}
      </p>
    </section>
  );
}
