"use client";
import { PencilIcon, PlusIcon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { DataTable, DeleteButton, ListBody } from "@/components/common/list";
import {
  FieldRow,
  FormAlert,
  setServerErrors,
  useFormMessages,
  useSchemaForm,
} from "@/components/common/schema-form";
import { EmptyState } from "@/components/common/states";
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
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { createBotSchema, updateBotSchema } from "@/lib/bots/schema";
import { useBots, useDeleteBot, useModels, useSaveBot, type Bot } from "./use-bots";

const NONE = "none";
/** The fields this form shows an error under; any other issue goes to the form-level message. */
const BOT_FIELDS = ["name", "alias", "model", "description", "backstory", "skillsetId"] as const;

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
      <ListBody
        state={bots}
        items={bots.data}
        empty={
          <EmptyState
            title="No bots yet"
            action={<Button onClick={() => setEditing("new")}>New bot</Button>}
          >
            Create a bot before creating triggers. Without a model provider configured, use the
            offline echo model to try the pipeline.
          </EmptyState>
        }
      >
        {(rows) => (
          <DataTable
            label="Bots"
            rows={rows}
            columns={[
              { header: "Name", cell: (b) => b.name, className: "font-medium" },
              {
                header: "Model",
                cell: (b) => (b.model === "echo" ? "echo (offline, no LLM)" : b.model),
                className: "font-mono text-xs",
              },
              {
                header: "Description",
                cell: (b) => b.description,
                className: "text-muted-foreground max-w-80 truncate",
              },
            ]}
            actions={(b) => (
              <>
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={`Edit ${b.name}`}
                  onClick={() => setEditing(b)}
                >
                  <PencilIcon /> Edit
                </Button>
                <DeleteButton
                  name={b.name}
                  what="bot"
                  consequences="Its conversations remain. A bot that a trigger uses cannot be deleted: change or delete those triggers first."
                  onDelete={() => remove.mutateAsync(b.id)}
                />
              </>
            )}
          />
        )}
      </ListBody>
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

type BotFormValues = {
  name: string;
  alias: string;
  description: string;
  model: string;
  backstory: string;
  skillsetId: string;
};

const toBotInput = (v: BotFormValues) => ({
  name: v.name,
  alias: v.alias.trim() || null,
  description: v.description || null,
  model: v.model,
  backstory: v.backstory || null,
  skillsetId: v.skillsetId === NONE ? null : v.skillsetId,
});

function BotForm({ bot, onDone }: { bot?: Bot; onDone: () => void }) {
  const models = useModels();
  const skillsets = useSkillsets();
  const save = useSaveBot();
  const form = useSchemaForm({
    schema: bot ? updateBotSchema : createBotSchema,
    toInput: toBotInput,
    defaultValues: {
      name: bot?.name ?? "",
      alias: bot?.alias ?? "",
      description: bot?.description ?? "",
      model: bot?.model ?? "echo",
      backstory: bot?.backstory ?? "",
      skillsetId: bot?.skillsetId ?? NONE,
    },
  });
  const errors = useFormMessages(form, BOT_FIELDS);
  const model = form.watch("model");
  const modelIds = new Set(models.data?.items.map((m) => m.id));
  const invalid = (field: string) =>
    errors[field] ? { "aria-invalid": true, "aria-describedby": `bot-${field}-error` } : {};

  const submit = form.handleSubmit(async (input) => {
    try {
      await save.mutateAsync({ id: bot?.id, input });
      toast.success(bot ? "Bot saved" : "Bot created");
      onDone();
    } catch (error) {
      setServerErrors(form, error);
    }
  });

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <FieldRow id="bot-name" label="Name" error={errors.name && `Name ${errors.name}`}>
        <Input id="bot-name" {...form.register("name")} {...invalid("name")} />
      </FieldRow>
      <FieldRow
        id="bot-model"
        label="Model"
        error={errors.model}
        hint={
          models.data?.message ??
          "echo is a built-in offline responder for trying the pipeline without keys; it is not an LLM."
        }
      >
        <Select value={model} onValueChange={(m) => form.setValue("model", m)}>
          <SelectTrigger id="bot-model" {...invalid("model")}>
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {models.data?.items.map((m) => (
              <SelectItem key={m.id} value={m.id}>
                {m.label}
              </SelectItem>
            ))}
            {!modelIds.has(model) && (
              <SelectItem value={model}>{model} (not offered by this server)</SelectItem>
            )}
          </SelectContent>
        </Select>
      </FieldRow>
      <FieldRow
        id="bot-alias"
        label="Alias (optional)"
        error={errors.alias}
        hint="A name of your choosing that the API accepts in place of the id (GET /api/v1/bot/{alias}/fetch)."
      >
        <Input id="bot-alias" {...form.register("alias")} {...invalid("alias")} />
      </FieldRow>
      <FieldRow id="bot-description" label="Description" error={errors.description}>
        <Input id="bot-description" {...form.register("description")} {...invalid("description")} />
      </FieldRow>
      <FieldRow id="bot-backstory" label="Backstory (system prompt)" error={errors.backstory}>
        <Textarea
          id="bot-backstory"
          rows={4}
          {...form.register("backstory")}
          {...invalid("backstory")}
        />
      </FieldRow>
      <FieldRow id="bot-skillset" label="Skillset" error={errors.skillsetId}>
        <Select
          value={form.watch("skillsetId")}
          onValueChange={(s) => form.setValue("skillsetId", s)}
        >
          <SelectTrigger id="bot-skillset" {...invalid("skillsetId")}>
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
      </FieldRow>
      <FormAlert message={errors.form} />
      <Button type="submit" disabled={form.formState.isSubmitting}>
        {form.formState.isSubmitting ? "Saving…" : bot ? "Save bot" : "Create bot"}
      </Button>
    </form>
  );
}
