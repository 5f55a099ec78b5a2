"use client";
import { ArrowLeftIcon, PauseIcon, PlayIcon } from "lucide-react";
import { ConfirmButton } from "@/components/common/confirm-button";
import { RelativeTime } from "@/components/common/relative-time";
import Link from "next/link";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { toast } from "sonner";
import { useBots } from "@/components/bots/use-bots";
import { ConversationLog } from "@/components/conversations/conversation-log";
import { ErrorState, ListSkeleton } from "@/components/common/states";
import { useUrlState } from "@/components/common/use-url-state";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { TriggerTests } from "@/components/dry-runs/trigger-tests";
import { TriggerEvents } from "./trigger-events";
import { TriggerOverview } from "./trigger-overview";
import { TriggerSettings } from "./trigger-settings";
import { useInvokeTrigger, usePauseTrigger, useTrigger, useTriggerEvents } from "./use-triggers";

const TABS = ["overview", "conversations", "events", "tests", "settings"] as const;

export function TriggerDetail({ id }: { id: string }) {
  const trigger = useTrigger(id);
  // the tab is in the URL (?tab=events), so a reload or a link opens it
  const url = useUrlState();
  const tab = TABS.find((t) => t === url.value("tab")) ?? "overview";
  const bots = useBots();
  const invoke = useInvokeTrigger(id);
  const pause = usePauseTrigger(id);
  const events = useTriggerEvents(id);
  const latest = events.data?.pages[0]?.items ?? [];
  const live = latest.some((e) => e.status === "queued" || e.status === "processing");
  const lastFailed = latest[0]?.status === "failed";
  // The event log is the cheap thing to poll; when it changes, the conversation log refreshes.
  const qc = useQueryClient();
  const signature = latest.map((e) => `${e.id}:${e.status}`).join(",");
  useEffect(() => {
    if (signature) void qc.invalidateQueries({ queryKey: ["conversations"] });
  }, [signature, qc]);

  if (trigger.isPending) return <ListSkeleton rows={3} />;
  if (trigger.isError) {
    return (
      <div className="flex flex-col gap-4">
        <BackLink />
        <ErrorState error={trigger.error} onRetry={() => trigger.refetch()} />
      </div>
    );
  }
  const t = trigger.data;
  const bot = bots.data?.find((b) => b.id === t.botId);
  return (
    <div className="flex flex-col gap-6">
      <BackLink />
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <h1 className="truncate text-2xl font-semibold tracking-tight">{t.name || t.id}</h1>
          <div className="text-muted-foreground mt-1 flex flex-wrap items-center gap-2 text-sm">
            <span>
              Bot:{" "}
              <span className="text-foreground">
                {bot ? `${bot.name} (${bot.model})` : t.botId}
              </span>
            </span>
            {live ? (
              <Badge variant="secondary">Processing</Badge>
            ) : lastFailed ? (
              <Badge variant="destructive">Last run failed</Badge>
            ) : (
              <Badge variant="success">Ready</Badge>
            )}
            {t.pausedAt && (
              <Badge variant="destructive" title={t.pausedReason ?? undefined}>
                Paused
              </Badge>
            )}
            {t.authenticate ? (
              <Badge variant="outline">Authenticated</Badge>
            ) : (
              <Badge variant="outline">Open endpoint</Badge>
            )}
          </div>
        </div>
        <div className="flex flex-wrap gap-2">
          {t.pausedAt ? (
            <ConfirmButton
              variant="outline"
              size="default"
              label="Resume trigger"
              title="Resume this trigger?"
              description="The events stored while it was paused run now, oldest first; schedules run again."
              confirmLabel="Resume"
              onConfirm={async () => {
                const r = await pause.mutateAsync(false);
                toast.success(
                  `Resumed: ${r.held ?? 0} held event${r.held === 1 ? "" : "s"} will run`,
                );
              }}
            >
              <PlayIcon aria-hidden /> Resume
            </ConfirmButton>
          ) : (
            <ConfirmButton
              variant="outline"
              size="default"
              label="Pause trigger"
              title="Pause this trigger?"
              description="Events sent to it are still stored (senders get 202), but none runs, schedules included, until you resume it."
              confirmLabel="Pause"
              onConfirm={async () => {
                await pause.mutateAsync(true);
                toast.success("Paused: events are stored and held");
              }}
            >
              <PauseIcon aria-hidden /> Pause
            </ConfirmButton>
          )}
          <Button
            onClick={() =>
              invoke.mutate(undefined, {
                onSuccess: () =>
                  toast.success("Queued", { description: "The run will appear in the log." }),
                onError: (e) => toast.error(e.message),
              })
            }
            disabled={invoke.isPending}
          >
            <PlayIcon /> Invoke
          </Button>
        </div>
      </div>
      {t.pausedAt && (
        <p
          role="status"
          className="border-destructive/40 bg-destructive/5 rounded-md border p-3 text-sm"
        >
          Paused <RelativeTime value={t.pausedAt} />: {t.pausedReason ?? "by hand"}. Events are
          stored and wait; none runs until the trigger is resumed.
        </p>
      )}
      <Tabs value={tab} onValueChange={(v) => url.set({ tab: v === "overview" ? null : v })}>
        <TabsList className="max-w-full overflow-x-auto">
          <TabsTrigger value="overview">Overview</TabsTrigger>
          <TabsTrigger value="conversations">Conversations</TabsTrigger>
          <TabsTrigger value="events">Events</TabsTrigger>
          <TabsTrigger value="tests">Tests</TabsTrigger>
          <TabsTrigger value="settings">Settings</TabsTrigger>
        </TabsList>
        <TabsContent value="overview">
          <TriggerOverview trigger={t} />
        </TabsContent>
        <TabsContent value="conversations">
          <ConversationLog
            filters={{ triggerId: t.id }}
            live={live}
            emptyText="Send an event to the trigger's URL or press Invoke; each run is recorded here."
          />
        </TabsContent>
        <TabsContent value="events">
          <TriggerEvents trigger={t} />
        </TabsContent>
        <TabsContent value="tests">
          <TriggerTests triggerId={t.id} />
        </TabsContent>
        <TabsContent value="settings">
          <TriggerSettings trigger={t} />
        </TabsContent>
      </Tabs>
    </div>
  );
}

function BackLink() {
  return (
    <Link
      href="/triggers"
      className="text-muted-foreground hover:text-foreground flex w-fit items-center gap-1 text-sm"
    >
      <ArrowLeftIcon className="size-4" aria-hidden /> Triggers
    </Link>
  );
}
