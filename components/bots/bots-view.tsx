"use client";
import { PencilIcon, PlusIcon, Trash2Icon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/common/confirm-button";
import { EmptyState, ErrorState, ListSkeleton } from "@/components/common/states";
import { PageHeader } from "@/components/shell/page-header";
import { useSkillsets } from "@/components/skillsets/use-skillsets";
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
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { Textarea } from "@/components/ui/textarea";
import { formErrors } from "@/lib/api-client";
import { useBots, useDeleteBot, useModels, useSaveBot, type Bot } from "./use-bots";

const NONE = "none";
/** The fields this form shows an error under; any other issue goes to the form-level message. */
const BOT_FIELDS = ["name", "model", "description", "backstory", "skillsetId"] as const;

export function BotsView() {
  const bots = useBots();
  const remove = useDeleteBot();
  const [editing, setEditing] = useState<Bot | "new" | null>(null);
  return (
    <>
      <PageHeader
        title="Bots"
        description="A bot processes a trigger's events: its backstory is the system prompt, its skillset's abilities are its tools."
        actions={
          <Button onClick={() => setEditing("new")}>
            <PlusIcon /> New bot
          </Button>
        }
      />
      {bots.isPending ? (
        <ListSkeleton />
      ) : bots.isError ? (
        <ErrorState error={bots.error} onRetry={() => bots.refetch()} />
      ) : !bots.data.length ? (
        <EmptyState
          title="No bots yet"
          action={<Button onClick={() => setEditing("new")}>New bot</Button>}
        >
          Create a bot before creating triggers. Without a model provider configured, use the
          offline echo model to try the pipeline.
        </EmptyState>
      ) : (
        <Table aria-label="Bots">
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Model</TableHead>
              <TableHead>Description</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {bots.data.map((b) => (
              <TableRow key={b.id}>
                <TableCell className="font-medium">{b.name}</TableCell>
                <TableCell className="font-mono text-xs">
                  {b.model === "echo" ? "echo (offline, no LLM)" : b.model}
                </TableCell>
                <TableCell className="text-muted-foreground max-w-80 truncate">
                  {b.description}
                </TableCell>
                <TableCell className="text-right whitespace-nowrap">
                  <Button
                    variant="ghost"
                    size="sm"
                    aria-label={`Edit ${b.name}`}
                    onClick={() => setEditing(b)}
                  >
                    <PencilIcon /> Edit
                  </Button>
                  <ConfirmButton
                    label={`Delete ${b.name}`}
                    title={`Delete the bot “${b.name}”?`}
                    description="Its conversations remain. A bot that a trigger uses cannot be deleted: change or delete those triggers first."
                    confirmLabel={`Delete “${b.name}”`}
                    onConfirm={() =>
                      remove.mutateAsync(b.id).then(() => toast.success(`Deleted ${b.name}`))
                    }
                  >
                    <Trash2Icon /> Delete
                  </ConfirmButton>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Dialog open={editing !== null} onOpenChange={(o) => !o && setEditing(null)}>
        <DialogContent className="max-w-xl">
          <DialogHeader>
            <DialogTitle>{editing === "new" ? "New bot" : "Edit bot"}</DialogTitle>
            <DialogDescription>
              The model and the tools the bot uses when it handles an event.
            </DialogDescription>
          </DialogHeader>
          {editing !== null && (
            <BotForm
              bot={editing === "new" ? undefined : editing}
              onDone={() => setEditing(null)}
            />
          )}
        </DialogContent>
      </Dialog>
    </>
  );
}

function BotForm({ bot, onDone }: { bot?: Bot; onDone: () => void }) {
  const models = useModels();
  const skillsets = useSkillsets();
  const save = useSaveBot();
  const [v, setV] = useState({
    name: bot?.name ?? "",
    description: bot?.description ?? "",
    model: bot?.model ?? "echo",
    backstory: bot?.backstory ?? "",
    skillsetId: bot?.skillsetId ?? NONE,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (k: keyof typeof v, value: string) => setV((s) => ({ ...s, [k]: value }));
  const modelIds = new Set(models.data?.items.map((m) => m.id));

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    try {
      await save.mutateAsync({
        id: bot?.id,
        input: {
          name: v.name,
          description: v.description || null,
          model: v.model,
          backstory: v.backstory || null,
          skillsetId: v.skillsetId === NONE ? null : v.skillsetId,
        },
      });
      toast.success(bot ? "Bot saved" : "Bot created");
      onDone();
    } catch (error) {
      setErrors(formErrors(error, BOT_FIELDS));
    }
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <div className="grid gap-2">
        <Label htmlFor="bot-name">Name</Label>
        <Input
          id="bot-name"
          value={v.name}
          onChange={(e) => set("name", e.target.value)}
          maxLength={255}
          aria-invalid={Boolean(errors.name)}
        />
        {errors.name && <p className="text-destructive text-sm">Name {errors.name}</p>}
      </div>
      <div className="grid gap-2">
        <Label htmlFor="bot-model">Model</Label>
        <Select value={v.model} onValueChange={(m) => set("model", m)}>
          <SelectTrigger id="bot-model">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {models.data?.items.map((m) => (
              <SelectItem key={m.id} value={m.id}>
                {m.label}
              </SelectItem>
            ))}
            {!modelIds.has(v.model) && (
              <SelectItem value={v.model}>{v.model} (provider not configured)</SelectItem>
            )}
          </SelectContent>
        </Select>
        {errors.model && <p className="text-destructive text-sm">{errors.model}</p>}
        <p className="text-muted-foreground text-xs">
          echo is a built-in offline responder for trying the pipeline without keys; it is not an
          LLM.
        </p>
      </div>
      <div className="grid gap-2">
        <Label htmlFor="bot-description">Description</Label>
        <Input
          id="bot-description"
          value={v.description}
          onChange={(e) => set("description", e.target.value)}
          maxLength={2000}
          aria-invalid={Boolean(errors.description)}
        />
        {errors.description && <p className="text-destructive text-sm">{errors.description}</p>}
      </div>
      <div className="grid gap-2">
        <Label htmlFor="bot-backstory">Backstory (system prompt)</Label>
        <Textarea
          id="bot-backstory"
          value={v.backstory}
          onChange={(e) => set("backstory", e.target.value)}
          rows={4}
          maxLength={20000}
          aria-invalid={Boolean(errors.backstory)}
        />
        {errors.backstory && <p className="text-destructive text-sm">{errors.backstory}</p>}
      </div>
      <div className="grid gap-2">
        <Label htmlFor="bot-skillset">Skillset</Label>
        <Select value={v.skillsetId} onValueChange={(s) => set("skillsetId", s)}>
          <SelectTrigger id="bot-skillset">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={NONE}>No skillset (no tools)</SelectItem>
            {skillsets.data?.map((s) => (
              <SelectItem key={s.id} value={s.id}>
                {s.name}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        {errors.skillsetId && <p className="text-destructive text-sm">{errors.skillsetId}</p>}
      </div>
      {errors.form && (
        <p role="alert" className="text-destructive text-sm">
          {errors.form}
        </p>
      )}
      <Button type="submit" disabled={save.isPending}>
        {save.isPending ? "Saving…" : bot ? "Save bot" : "Create bot"}
      </Button>
    </form>
  );
}
