"use client";
import { useQuery } from "@tanstack/react-query";
import { useBots } from "@/components/bots/use-bots";
import { OptionSelect } from "@/components/common/option-select";
import { useUrlSearch, useUrlState } from "@/components/common/use-url-state";
import { triggerQuery, useTriggerPicker } from "@/components/triggers/use-triggers";
import { PageHeader } from "@/components/shell/page-header";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { ConversationLog } from "./conversation-log";

const ALL = "all";

export function ConversationsView() {
  const bots = useBots();
  // the filters are in the URL (?bot=&trigger=&find=), so a filtered view can be linked
  const url = useUrlState();
  const botId = url.value("bot") ?? ALL;
  const triggerId = url.value("trigger") ?? ALL;
  const search = useUrlSearch("find");
  // The picker offers the 100 newest triggers whose name matches the search box; conversations of
  // deleted triggers show under "All triggers".
  const triggers = useTriggerPicker(search.value ?? "");
  const chosen = useQuery({ ...triggerQuery(triggerId), enabled: triggerId !== ALL });
  const options = (triggers.data?.items ?? []).map((t) => ({ value: t.id, label: t.name || t.id }));
  // the chosen trigger stays selectable (and labelled) when a new search no longer lists it
  if (triggerId !== ALL && !options.some((o) => o.value === triggerId))
    options.unshift({ value: triggerId, label: chosen.data?.name || triggerId });
  const filters = {
    botId: botId === ALL ? undefined : botId,
    triggerId: triggerId === ALL ? undefined : triggerId,
  };
  return (
    <>
      <PageHeader
        title="Conversations"
        description="Every run of every trigger, including those of deleted triggers. Newest first."
      />
      <div className="mb-4 flex flex-col gap-3 sm:flex-row sm:items-end">
        <div className="grid gap-1">
          <Label htmlFor="filter-bot">Bot</Label>
          <OptionSelect
            id="filter-bot"
            className="sm:w-56"
            value={botId}
            onChange={(v) => url.set({ bot: v === ALL ? null : v })}
            first={{ value: ALL, label: "All bots" }}
            options={bots.data?.map((b) => ({ value: b.id, label: b.name }))}
          />
        </div>
        <div className="grid gap-1">
          <Label htmlFor="filter-trigger-search">Find a trigger by name</Label>
          <Input
            id="filter-trigger-search"
            type="search"
            className="sm:w-48"
            value={search.text}
            onChange={(e) => search.setText(e.target.value)}
            placeholder="Name contains…"
          />
        </div>
        <div className="grid gap-1">
          <Label htmlFor="filter-trigger">Trigger</Label>
          <OptionSelect
            id="filter-trigger"
            className="sm:w-64"
            value={triggerId}
            onChange={(id) => url.set({ trigger: id === ALL ? null : id })}
            first={{ value: ALL, label: "All triggers" }}
            options={options}
          />
        </div>
        {triggers.data?.cursor && (
          <p className="text-muted-foreground text-xs sm:pb-2">
            The picker lists the 100 newest matches; type to narrow it.
          </p>
        )}
      </div>
      <ConversationLog
        filters={filters}
        showTrigger
        emptyText="Conversations appear when triggers receive events, run on a schedule or are invoked."
      />
    </>
  );
}
