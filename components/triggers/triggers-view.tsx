"use client";
import dynamic from "next/dynamic";
import { PlusIcon, SearchIcon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useDeferredValue, useMemo, useState } from "react";
import { toast } from "sonner";
import { useBlueprints } from "@/components/blueprints/use-blueprints";
import { useBots } from "@/components/bots/use-bots";
import { LoadMore } from "@/components/common/load-more";
import { OptionSelect } from "@/components/common/option-select";
import { RelativeTime } from "@/components/common/relative-time";
import { EmptyState, ErrorState, ListSkeleton } from "@/components/common/states";
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
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { SecretDialog } from "./secret-dialog";
import { useCreateTrigger, useTriggers } from "./use-triggers";

// Loaded when needed: it brings the schedule parser for the live preview.
const TriggerForm = dynamic(() => import("./trigger-form").then((m) => m.TriggerForm), {
  loading: () => <ListSkeleton rows={4} />,
});

const ALL = "all";

export function TriggersView() {
  const router = useRouter();
  const [search, setSearch] = useState("");
  const deferredSearch = useDeferredValue(search.trim());
  const [blueprintId, setBlueprintId] = useState(ALL);
  const filters = {
    search: deferredSearch || undefined,
    blueprintId: blueprintId === ALL ? undefined : blueprintId,
  };
  const triggers = useTriggers(filters);
  const bots = useBots();
  const blueprints = useBlueprints();
  const create = useCreateTrigger();
  const [creating, setCreating] = useState(false);
  const [revealed, setRevealed] = useState<{ id: string; secret: string; eventUrl: string } | null>(
    null,
  );
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
            value={search}
            onChange={(e) => setSearch(e.target.value)}
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
          onChange={setBlueprintId}
          first={{ value: ALL, label: "All blueprints" }}
          options={blueprints.data?.map((b) => ({ value: b.id, label: b.name }))}
        />
      </div>

      {triggers.isPending ? (
        <ListSkeleton />
      ) : triggers.isError ? (
        <ErrorState error={triggers.error} onRetry={() => triggers.refetch()} />
      ) : items.length === 0 ? (
        filtered ? (
          <EmptyState title="No triggers match">Try another name or blueprint.</EmptyState>
        ) : (
          <EmptyState title="No triggers yet" action={newButton}>
            Create a trigger to get a URL that GitHub, Zapier, cron jobs or curl can send events to.
            Each event is processed by a bot and recorded as a conversation you can read here.
          </EmptyState>
        )
      ) : (
        <>
          <Table aria-label="Triggers">
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Bot</TableHead>
                <TableHead>Auth</TableHead>
                <TableHead>Schedule</TableHead>
                <TableHead>Last run</TableHead>
                <TableHead>Next run</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((t) => (
                <TableRow key={t.id} data-testid="trigger-row">
                  <TableCell className="font-medium">
                    <Link href={`/triggers/${t.id}`} className="underline-offset-4 hover:underline">
                      {t.name || t.id}
                    </Link>
                  </TableCell>
                  <TableCell>
                    {botNames.get(t.botId) ?? (
                      <span className="text-muted-foreground">{t.botId}</span>
                    )}
                  </TableCell>
                  <TableCell>
                    {t.authenticate ? (
                      <Badge variant="secondary">Secret</Badge>
                    ) : (
                      <Badge variant="outline">Open</Badge>
                    )}
                  </TableCell>
                  <TableCell className="max-w-64 text-xs">
                    {t.scheduleDescription ?? (
                      <span className="text-muted-foreground">Events only</span>
                    )}
                  </TableCell>
                  <TableCell>
                    <RelativeTime value={t.lastTriggerAt} empty="Never" />
                  </TableCell>
                  <TableCell>
                    <RelativeTime value={t.nextTriggerAt} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <LoadMore
            hasNextPage={triggers.hasNextPage}
            isFetchingNextPage={triggers.isFetchingNextPage}
            fetchNextPage={triggers.fetchNextPage}
            label="triggers"
          />
        </>
      )}

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
