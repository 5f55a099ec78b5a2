"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useBots } from "@/components/bots/use-bots";
import { OptionSelect } from "@/components/common/option-select";
import type { Trigger } from "@/components/triggers/types";
import { fetchPage } from "@/lib/api-lists";
import { PageHeader } from "@/components/shell/page-header";
import { Label } from "@/components/ui/label";
import { ConversationLog } from "./conversation-log";

const ALL = "all";

export function ConversationsView() {
  const bots = useBots();
  const [botId, setBotId] = useState(ALL);
  const [triggerId, setTriggerId] = useState(ALL);
  // The 100 newest triggers for the picker; conversations of deleted triggers show under "All triggers".
  const triggers = useQuery({
    queryKey: ["triggers", "picker"],
    queryFn: ({ signal }) => fetchPage<Trigger>("/api/v1/integration/trigger/list", { take: 100 }, signal),
  });
  const filters = { botId: botId === ALL ? undefined : botId, triggerId: triggerId === ALL ? undefined : triggerId };
  return (
    <>
      <PageHeader title="Conversations" description="Every run of every trigger, including those of deleted triggers. Newest first." />
      <div className="mb-4 flex flex-col gap-3 sm:flex-row sm:items-end">
        <div className="grid gap-1">
          <Label htmlFor="filter-bot">Bot</Label>
          <OptionSelect
            id="filter-bot"
            className="sm:w-56"
            value={botId}
            onChange={setBotId}
            first={{ value: ALL, label: "All bots" }}
            options={bots.data?.map((b) => ({ value: b.id, label: b.name }))}
          />
        </div>
        <div className="grid gap-1">
          <Label htmlFor="filter-trigger">Trigger</Label>
          <OptionSelect
            id="filter-trigger"
            className="sm:w-64"
            value={triggerId}
            onChange={setTriggerId}
            first={{ value: ALL, label: "All triggers" }}
            options={triggers.data?.items.map((t) => ({ value: t.id, label: t.name || t.id }))}
          />
        </div>
      </div>
      <ConversationLog filters={filters} showTrigger emptyText="Conversations appear when triggers receive events, run on a schedule or are invoked." />
    </>
  );
}
