"use client";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { ApiClientError } from "@/lib/api-client";
import { useSkillsetMutations, type Ability } from "./use-skillsets";

export function AbilityForm({ skillsetId, onDone }: { skillsetId: string; onDone: () => void }) {
  const { addAbility } = useSkillsetMutations();
  const [v, setV] = useState({ name: "", description: "", kind: "http_request" as Ability["kind"], method: "POST", url: "", body: "", secret: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (k: keyof typeof v, value: string) => setV((s) => ({ ...s, [k]: value }));
  const id = (f: string) => `ability-${skillsetId}-${f}`;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const config =
      v.kind === "http_request"
        ? { method: v.method, url: v.url, ...(v.body && { body: v.body }) }
        : { url: v.url, ...(v.secret && { secret: v.secret }) };
    try {
      await addAbility.mutateAsync({ skillsetId, input: { name: v.name, description: v.description || null, kind: v.kind, config } });
      toast.success(`Ability ${v.name} added`);
      onDone();
    } catch (error) {
      if (error instanceof ApiClientError && error.issues?.length) setErrors(Object.fromEntries(error.issues.map((i) => [i.path.replace(/^config\./, ""), i.message])));
      else toast.error(error instanceof Error ? error.message : "Could not add the ability");
    }
  }

  return (
    <form onSubmit={submit} className="grid gap-3 rounded-md border p-3" noValidate>
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="grid gap-1">
          <Label htmlFor={id("name")}>Ability name</Label>
          <Input id={id("name")} value={v.name} onChange={(e) => set("name", e.target.value)} placeholder="lookup_order" aria-invalid={Boolean(errors.name)} />
          {errors.name && <p className="text-xs text-destructive">{errors.name}</p>}
        </div>
        <div className="grid gap-1">
          <Label htmlFor={id("kind")}>Kind</Label>
          <Select value={v.kind} onValueChange={(k) => set("kind", k)}>
            <SelectTrigger id={id("kind")}>
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="http_request">HTTP request</SelectItem>
              <SelectItem value="webhook">Webhook (POST JSON)</SelectItem>
            </SelectContent>
          </Select>
        </div>
      </div>
      <div className="grid gap-1">
        <Label htmlFor={id("description")}>Ability description (tells the model when to use it)</Label>
        <Input id={id("description")} value={v.description} onChange={(e) => set("description", e.target.value)} />
      </div>
      <div className="grid gap-3 sm:grid-cols-[8rem_1fr]">
        {v.kind === "http_request" && (
          <div className="grid gap-1">
            <Label htmlFor={id("method")}>Method</Label>
            <Select value={v.method} onValueChange={(m) => set("method", m)}>
              <SelectTrigger id={id("method")}>
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {["GET", "POST", "PUT", "PATCH", "DELETE"].map((m) => (
                  <SelectItem key={m} value={m}>
                    {m}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
        )}
        <div className="grid gap-1 sm:col-start-2">
          <Label htmlFor={id("url")}>URL</Label>
          <Input id={id("url")} value={v.url} onChange={(e) => set("url", e.target.value)} placeholder="https://api.example.com/orders/{{input.orderId}}" aria-invalid={Boolean(errors.url)} />
          {errors.url && <p className="text-xs text-destructive">{errors.url}</p>}
        </div>
      </div>
      {v.kind === "http_request" ? (
        <div className="grid gap-1">
          <Label htmlFor={id("body")}>Body template (optional)</Label>
          <Textarea id={id("body")} value={v.body} onChange={(e) => set("body", e.target.value)} rows={3} placeholder='{"id": "{{input.orderId}}", "text": "{{event.text}}"}' />
        </div>
      ) : (
        <div className="grid gap-1">
          <Label htmlFor={id("secret")}>Signing secret (optional)</Label>
          <Input id={id("secret")} value={v.secret} onChange={(e) => set("secret", e.target.value)} />
        </div>
      )}
      <div className="flex gap-2">
        <Button type="submit" size="sm" disabled={addAbility.isPending}>
          Save ability
        </Button>
        <Button type="button" size="sm" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
