"use client";
import { PencilIcon, PlusIcon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { DeleteButton, ListBody } from "@/components/common/list";
import { CreateByNameForm } from "@/components/common/create-by-name-form";
import {
  FieldRow,
  FormAlert,
  setServerErrors,
  useFormMessages,
  useSchemaForm,
} from "@/components/common/schema-form";
import { EmptyState } from "@/components/common/states";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { createSkillsetSchema, updateSkillsetSchema } from "@/lib/skillsets/schema";
import { AbilityForm } from "./ability-form";
import {
  useAbilities,
  useSkillsetMutations,
  useSkillsets,
  type Ability,
  type Skillset,
} from "./use-skillsets";

export function SkillsetsView() {
  const skillsets = useSkillsets();
  const { create } = useSkillsetMutations();
  return (
    <>
      <PageHeader
        title="Skillsets"
        description="A skillset is a set of abilities (tools) a bot can call while handling an event: HTTP requests and webhooks."
      />
      <CreateByNameForm
        id="skillset-name"
        label="New skillset name"
        submitLabel="Create skillset"
        schema={createSkillsetSchema}
        onCreate={(input) =>
          create.mutateAsync(input).then(() => toast.success("Skillset created"))
        }
      />
      <ListBody
        state={skillsets}
        items={skillsets.data}
        empty={
          <EmptyState title="No skillsets yet">
            Create one, add abilities, then choose it on a bot.
          </EmptyState>
        }
      >
        {(rows) => (
          <div className="flex flex-col gap-4">
            {rows.map((s) => (
              <SkillsetCard key={s.id} skillset={s} />
            ))}
          </div>
        )}
      </ListBody>
    </>
  );
}

function SkillsetCard({ skillset: s }: { skillset: Skillset }) {
  const abilities = useAbilities(s.id);
  const { remove, removeAbility } = useSkillsetMutations();
  const [form, setForm] = useState<Ability | "new" | null>(null);
  const [renaming, setRenaming] = useState(false);
  return (
    <Card data-testid="skillset">
      {renaming ? (
        <SkillsetDetailsForm skillset={s} onDone={() => setRenaming(false)} />
      ) : (
        <div className="flex items-start justify-between gap-2">
          <div className="min-w-0">
            <CardTitle>{s.name}</CardTitle>
            {s.description && <CardDescription>{s.description}</CardDescription>}
          </div>
          <div className="flex shrink-0 gap-1">
            <Button
              variant="ghost"
              size="sm"
              aria-label={`Edit skillset ${s.name}`}
              onClick={() => setRenaming(true)}
            >
              <PencilIcon /> Edit
            </Button>
            <DeleteButton
              name={s.name}
              what="skillset"
              label={`Delete skillset ${s.name}`}
              consequences="Its abilities are deleted with it. Bots that use it keep working without these tools; their conversations remain."
              onDelete={() => remove.mutateAsync(s.id)}
            />
          </div>
        </div>
      )}
      <ul className="flex flex-col gap-2 text-sm" aria-label={`Abilities of ${s.name}`}>
        {abilities.isPending && <li className="text-muted-foreground">Loading abilities…</li>}
        {abilities.isError && (
          <li className="text-destructive">
            Could not load the abilities: {abilities.error.message}{" "}
            <Button variant="link" size="sm" onClick={() => abilities.refetch()}>
              Retry
            </Button>
          </li>
        )}
        {abilities.data?.length === 0 && (
          <li className="text-muted-foreground">No abilities yet.</li>
        )}
        {abilities.data?.map((a) =>
          form !== "new" && form?.id === a.id ? (
            <li key={a.id}>
              <AbilityForm skillsetId={s.id} ability={a} onDone={() => setForm(null)} />
            </li>
          ) : (
            <li key={a.id} className="flex items-center justify-between gap-2 rounded border p-2">
              <div className="min-w-0">
                <span className="font-mono font-medium">{a.name}</span>{" "}
                <span className="text-muted-foreground text-xs">{a.kind}</span>{" "}
                <Badge variant={a.effect === "write" ? "secondary" : "outline"}>{a.effect}</Badge>
                <p className="text-muted-foreground truncate text-xs">
                  {a.kind === "http_request"
                    ? `${String(a.config.method)} ${String(a.config.url)}`
                    : a.kind === "mcp"
                      ? `MCP ${String(a.config.url)} · ${mcpSummary(a.tools ?? [])}`
                      : `POST ${String(a.config.url)}`}
                </p>
              </div>
              <div className="flex shrink-0 gap-1">
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={`Edit ability ${a.name}`}
                  onClick={() => setForm(a)}
                >
                  <PencilIcon />
                </Button>
                <DeleteButton
                  name={a.name}
                  what="ability"
                  label={`Delete ability ${a.name}`}
                  iconOnly
                  consequences={`Bots using “${s.name}” can no longer call it. Recorded calls stay in their conversations.`}
                  onDelete={() => removeAbility.mutateAsync({ skillsetId: s.id, id: a.id })}
                />
              </div>
            </li>
          ),
        )}
      </ul>
      {form === "new" ? (
        <AbilityForm skillsetId={s.id} onDone={() => setForm(null)} />
      ) : (
        <Button variant="outline" size="sm" className="w-fit" onClick={() => setForm("new")}>
          <PlusIcon /> Add ability
        </Button>
      )}
    </Card>
  );
}

function SkillsetDetailsForm({ skillset: s, onDone }: { skillset: Skillset; onDone: () => void }) {
  const { update } = useSkillsetMutations();
  const form = useSchemaForm({
    schema: updateSkillsetSchema,
    toInput: (v: { name: string; description: string }) => ({
      name: v.name,
      description: v.description || null,
    }),
    defaultValues: { name: s.name, description: s.description ?? "" },
  });
  const errors = useFormMessages(form, ["name", "description"]);
  const id = (field: string) => `skillset-${s.id}-${field}`;
  const submit = form.handleSubmit(async (input) => {
    try {
      await update.mutateAsync({ id: s.id, input });
      toast.success("Skillset saved");
      onDone();
    } catch (error) {
      setServerErrors(form, error);
    }
  });
  return (
    <form className="grid gap-2" onSubmit={submit} noValidate>
      <FieldRow id={id("name")} label="Skillset name" error={errors.name}>
        <Input id={id("name")} {...form.register("name")} aria-invalid={Boolean(errors.name)} />
      </FieldRow>
      <FieldRow id={id("description")} label="Skillset description" error={errors.description}>
        <Input
          id={id("description")}
          {...form.register("description")}
          aria-invalid={Boolean(errors.description)}
        />
      </FieldRow>
      <FormAlert message={errors.form} />
      <div className="flex gap-2">
        <Button type="submit" size="sm" disabled={form.formState.isSubmitting}>
          Save skillset
        </Button>
        <Button type="button" size="sm" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** "3 of 5 tools offered (1 writes)". */
function mcpSummary(tools: { enabled: boolean; effect: string }[]): string {
  const offered = tools.filter((t) => t.enabled);
  const writes = offered.filter((t) => t.effect === "write").length;
  return `${offered.length} of ${tools.length} tools offered${writes ? ` (${writes} write)` : ""}`;
}
