"use client";
import dynamic from "next/dynamic";
import { PlusIcon, SearchIcon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { toast } from "sonner";
import { useBlueprints } from "@/components/blueprints/use-blueprints";
import { useBots } from "@/components/bots/use-bots";
import { DataTable, ListBody, morePages } from "@/components/common/list";
import { OptionSelect } from "@/components/common/option-select";
import { RelativeTime } from "@/components/common/relative-time";
import { EmptyState, ListSkeleton } from "@/components/common/states";
import { useUrlSearch, useUrlState } from "@/components/common/use-url-state";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { SecretDialog } from "./secret-dialog";
import { useCreateTrigger, useTriggers } from "./use-triggers";

// Loaded when needed: it brings the schedule parser for the live preview.
const TriggerForm = dynamic(() => import("./trigger-form").then((m) => m.TriggerForm), {
  loading: () => <ListSkeleton rows={4} />,
});

const ALL = "all";

export function TriggersView() {
  const router = useRouter();
  // the search and the blueprint are in the URL (?q=&blueprint=)
  const url = useUrlState();
  const search = useUrlSearch("q");
  const blueprintId = url.value("blueprint") ?? ALL;
  const filters = {
    search: search.value,
    blueprintId: blueprintId === ALL ? undefined : blueprintId,
  };
  const triggers = useTriggers(filters);
  const bots = useBots();
  const blueprints = useBlueprints();
  const create = useCreateTrigger();
  const [creating, setCreating] = useState(false);
  const [revealed, setRevealed] = useState<{
    id: string;
    secret: string;
    eventUrl: string;
    replySecret?: string;
  } | null>(null);
  const botNames = useMemo(() => new Map(bots.data?.map((b) => [b.id, b.name])), [bots.data]);
  const items = triggers.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Boolean(filters.search || filters.blueprintId);

  const newButton = (
    <Button onClick={() => setCreating(true)}>
      <PlusIcon /> New trigger
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Triggers"
        description="A trigger is an endpoint other systems send events to; a bot processes each event in the background and the run is recorded as a conversation."
        actions={newButton}
      />
      <div className="mb-4 flex flex-col gap-2 sm:flex-row">
        <div className="relative flex-1">
          <SearchIcon
            className="text-muted-foreground pointer-events-none absolute top-2.5 left-2.5 size-4"
            aria-hidden
          />
          <Input
            aria-label="Search triggers by name"
            placeholder="Search by name"
            value={search.text}
            onChange={(e) => search.setText(e.target.value)}
            className="pl-8"
          />
        </div>
        <Label htmlFor="filter-blueprint" className="sr-only">
          Filter by blueprint
        </Label>
        <OptionSelect
          id="filter-blueprint"
          className="sm:w-56"
          value={blueprintId}
          onChange={(v) => url.set({ blueprint: v === ALL ? null : v })}
          first={{ value: ALL, label: "All blueprints" }}
          options={blueprints.data?.map((b) => ({ value: b.id, label: b.name }))}
        />
      </div>

      <ListBody
        state={triggers}
        items={items}
        more={morePages(triggers, "triggers")}
        empty={
          filtered ? (
            <EmptyState title="No triggers match">Try another name or blueprint.</EmptyState>
          ) : (
            <EmptyState title="No triggers yet" action={newButton}>
              Create a trigger to get a URL that GitHub, Zapier, cron jobs or curl can send events
              to. Each event is processed by a bot and recorded as a conversation you can read here.
            </EmptyState>
          )
        }
      >
        {(rows) => (
          <DataTable
            label="Triggers"
            rows={rows}
            rowTestId="trigger-row"
            columns={[
              {
                header: "Name",
                className: "font-medium",
                cell: (t) => (
                  <>
                    <Link href={`/triggers/${t.id}`} className="underline-offset-4 hover:underline">
                      {t.name || t.id}
                    </Link>
                    {t.pausedAt && (
                      <Badge variant="destructive" className="ml-2">
                        Paused
                      </Badge>
                    )}
                  </>
                ),
              },
              {
                header: "Bot",
                cell: (t) =>
                  botNames.get(t.botId) ?? <span className="text-muted-foreground">{t.botId}</span>,
              },
              {
                header: "Auth",
                cell: (t) =>
                  t.authenticate ? (
                    <Badge variant="secondary">Secret</Badge>
                  ) : (
                    <Badge variant="outline">Open</Badge>
                  ),
              },
              {
                header: "Schedule",
                className: "max-w-64 text-xs",
                cell: (t) =>
                  t.scheduleDescription ?? (
                    <span className="text-muted-foreground">Events only</span>
                  ),
              },
              {
                header: "Last run",
                cell: (t) => <RelativeTime value={t.lastTriggerAt} empty="Never" />,
              },
              { header: "Next run", cell: (t) => <RelativeTime value={t.nextTriggerAt} /> },
            ]}
          />
        )}
      </ListBody>

      <Dialog open={creating} onOpenChange={setCreating}>
        <DialogContent className="max-w-xl">
          <DialogHeader>
            <DialogTitle>New trigger</DialogTitle>
            <DialogDescription>
              An endpoint for events, processed by a bot. You can change everything later.
            </DialogDescription>
          </DialogHeader>
          <TriggerForm
            submitLabel="Create trigger"
            onSubmit={async (input) => {
              const res = await create.mutateAsync(input);
              setCreating(false);
              setRevealed(res);
              toast.success("Trigger created");
            }}
          />
        </DialogContent>
      </Dialog>
      <SecretDialog
        value={revealed}
        onClose={() => {
          const id = revealed?.id;
          setRevealed(null);
          if (id) router.push(`/triggers/${id}`);
        }}
      />
    </>
  );
}
