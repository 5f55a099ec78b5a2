"use client";
import { useUrlSearch, useUrlState } from "@/components/common/use-url-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { EVENT_STATUSES, MAX_EVENT_SEARCH_LENGTH } from "@/lib/events/schema";
import type { EventFilters } from "./use-triggers";

const STATUSES = EVENT_STATUSES;
const KINDS = ["event", "invoke", "schedule"] as const;
const TAB = { tab: "events" };
const title = (s: string) => s[0].toUpperCase() + s.slice(1);

/**
 * The Events tab's filters, kept in the URL (?tab=events&status=&kind=&q=&from=&to=) so a view
 * can be linked; dates are whole local days, from the start of "from" to the end of "to".
 */
export function useEventFilters() {
  const url = useUrlState();
  const search = useUrlSearch("q", TAB);
  const day = (name: string) => url.value(name) ?? "";
  const filters: EventFilters = {
    status: url.value("status"),
    kind: url.value("kind"),
    search: search.value,
    from: day("from") ? new Date(`${day("from")}T00:00`).toISOString() : undefined,
    to: day("to")
      ? new Date(new Date(`${day("to")}T00:00`).getTime() + 86_400_000).toISOString()
      : undefined,
  };
  const set = (name: string, value: string | null) => url.set({ ...TAB, [name]: value });
  const active = Boolean(
    filters.status || filters.kind || filters.search || filters.from || filters.to,
  );
  return { filters, active, search, day, set };
}

export function EventFilterBar({ state }: { state: ReturnType<typeof useEventFilters> }) {
  const { filters, search, day, set } = state;
  return (
    <div role="group" aria-label="Filter events" className="flex flex-wrap items-end gap-2">
      <div className="flex flex-col gap-1">
        <Label htmlFor="filter-status">Status</Label>
        <Select
          value={filters.status ?? "all"}
          onValueChange={(v) => set("status", v === "all" ? null : v)}
        >
          <SelectTrigger id="filter-status" className="w-40">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="all">All statuses</SelectItem>
            {STATUSES.map((st) => (
              <SelectItem key={st} value={st}>
                {title(st)}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="filter-kind">Kind</Label>
        <Select
          value={filters.kind ?? "all"}
          onValueChange={(v) => set("kind", v === "all" ? null : v)}
        >
          <SelectTrigger id="filter-kind" className="w-36">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="all">All kinds</SelectItem>
            {KINDS.map((k) => (
              <SelectItem key={k} value={k}>
                {title(k)}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      <div className="flex min-w-48 flex-1 flex-col gap-1">
        <Label htmlFor="filter-search">Search payloads</Label>
        <Input
          id="filter-search"
          type="search"
          placeholder="Text anywhere in the payload"
          value={search.text}
          maxLength={MAX_EVENT_SEARCH_LENGTH}
          onChange={(ev) => search.setText(ev.target.value)}
        />
      </div>
      {(["from", "to"] as const).map((name) => (
        <div key={name} className="flex flex-col gap-1">
          <Label htmlFor={`filter-${name}`}>{title(name)}</Label>
          <Input
            id={`filter-${name}`}
            type="date"
            className="w-40"
            value={day(name)}
            onChange={(ev) => set(name, ev.target.value || null)}
          />
        </div>
      ))}
    </div>
  );
}
