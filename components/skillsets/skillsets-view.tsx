"use client";
import { PlusIcon, Trash2Icon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { EmptyState, ErrorState, ListSkeleton } from "@/components/common/states";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { AbilityForm } from "./ability-form";
import { useAbilities, useSkillsetMutations, useSkillsets, type Skillset } from "./use-skillsets";

export function SkillsetsView() {
  const skillsets = useSkillsets();
  const { create } = useSkillsetMutations();
  const [name, setName] = useState("");
  return (
    <>
      <PageHeader title="Skillsets" description="A skillset is a set of abilities (tools) a bot can call while handling an event: HTTP requests and webhooks." />
      <form
        className="mb-6 flex flex-col gap-2 sm:flex-row sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(
            { name },
            { onSuccess: () => (setName(""), toast.success("Skillset created")), onError: (err) => toast.error(err.message) },
          );
        }}
      >
        <div className="grid flex-1 gap-1">
          <Label htmlFor="skillset-name">New skillset name</Label>
          <Input id="skillset-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={255} />
        </div>
        <Button type="submit" disabled={!name.trim() || create.isPending}>
          <PlusIcon /> Create skillset
        </Button>
      </form>
      {skillsets.isPending ? (
        <ListSkeleton />
      ) : skillsets.isError ? (
        <ErrorState error={skillsets.error} onRetry={() => skillsets.refetch()} />
      ) : !skillsets.data.length ? (
        <EmptyState title="No skillsets yet">Create one, add abilities, then choose it on a bot.</EmptyState>
      ) : (
        <div className="flex flex-col gap-4">
          {skillsets.data.map((s) => (
            <SkillsetCard key={s.id} skillset={s} />
          ))}
        </div>
      )}
    </>
  );
}

function SkillsetCard({ skillset: s }: { skillset: Skillset }) {
  const abilities = useAbilities(s.id);
  const { remove, removeAbility } = useSkillsetMutations();
  const [adding, setAdding] = useState(false);
  return (
    <Card data-testid="skillset">
      <div className="flex items-start justify-between gap-2">
        <div>
          <CardTitle>{s.name}</CardTitle>
          {s.description && <CardDescription>{s.description}</CardDescription>}
        </div>
        <Button variant="ghost" size="sm" aria-label={`Delete skillset ${s.name}`} onClick={() => remove.mutate(s.id, { onSuccess: () => toast.success(`Deleted ${s.name}`) })}>
          <Trash2Icon /> Delete
        </Button>
      </div>
      <ul className="flex flex-col gap-2 text-sm" aria-label={`Abilities of ${s.name}`}>
        {abilities.data?.length === 0 && <li className="text-muted-foreground">No abilities yet.</li>}
        {abilities.data?.map((a) => (
          <li key={a.id} className="flex items-center justify-between gap-2 rounded border p-2">
            <div className="min-w-0">
              <span className="font-mono font-medium">{a.name}</span> <span className="text-xs text-muted-foreground">{a.kind}</span>
              <p className="truncate text-xs text-muted-foreground">
                {a.kind === "http_request" ? `${String(a.config.method)} ${String(a.config.url)}` : `POST ${String(a.config.url)}`}
              </p>
            </div>
            <Button variant="ghost" size="sm" aria-label={`Delete ability ${a.name}`} onClick={() => removeAbility.mutate({ skillsetId: s.id, id: a.id })}>
              <Trash2Icon />
            </Button>
          </li>
        ))}
      </ul>
      {adding ? (
        <AbilityForm skillsetId={s.id} onDone={() => setAdding(false)} />
      ) : (
        <Button variant="outline" size="sm" className="w-fit" onClick={() => setAdding(true)}>
          <PlusIcon /> Add ability
        </Button>
      )}
    </Card>
  );
}
