"use client";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { formErrors } from "@/lib/api-client";
import { useSkillsetMutations, type Ability } from "./use-skillsets";

/** The fields this form shows an error under; any other issue goes to the form-level message. */
const ABILITY_FIELDS = ["name", "url", "headers", "timeoutMs", "inputSchema"] as const;

const headersToText = (h: unknown) =>
  h && typeof h === "object"
    ? Object.entries(h as Record<string, string>)
        .map(([k, v]) => `${k}: ${v}`)
        .join("\n")
    : "";

/** "Name: value" per line; blank lines ignored. */
function parseHeaders(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const line of text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)) {
    const i = line.indexOf(":");
    if (i < 1) return `"${line.slice(0, 40)}" is not "Name: value"`;
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/** Adds an ability to a skillset, or edits `ability` when given. */
export function AbilityForm({
  skillsetId,
  ability,
  onDone,
}: {
  skillsetId: string;
  ability?: Ability;
  onDone: () => void;
}) {
  const { addAbility, updateAbility } = useSkillsetMutations();
  const c = ability?.config ?? {};
  const [v, setV] = useState({
    name: ability?.name ?? "",
    description: ability?.description ?? "",
    kind: ability?.kind ?? ("http_request" as Ability["kind"]),
    method: typeof c.method === "string" ? c.method : "POST",
    url: typeof c.url === "string" ? c.url : "",
    body: typeof c.body === "string" ? c.body : "",
    secret: typeof c.secret === "string" ? c.secret : "",
    headers: headersToText(c.headers),
    timeoutMs: typeof c.timeoutMs === "number" ? String(c.timeoutMs) : "10000",
    inputSchema:
      ability?.inputSchemaSource === "custom" ? JSON.stringify(ability.inputSchema, null, 2) : "",
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (k: keyof typeof v, value: string) => setV((s) => ({ ...s, [k]: value }));
  const id = (f: string) => `ability-${ability?.id ?? skillsetId}-${f}`;
  const pending = addAbility.isPending || updateAbility.isPending;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const headers = parseHeaders(v.headers);
    if (typeof headers === "string") return setErrors({ headers });
    let inputSchema: Record<string, unknown> | null = null;
    if (v.inputSchema.trim()) {
      try {
        inputSchema = JSON.parse(v.inputSchema);
      } catch (error) {
        return setErrors({
          inputSchema: `Not JSON: ${error instanceof Error ? error.message : "parse error"}`,
        });
      }
    }
    const timeoutMs = Number(v.timeoutMs);
    const common = {
      ...(Object.keys(headers).length && { headers }),
      timeoutMs: Number.isFinite(timeoutMs) ? timeoutMs : v.timeoutMs,
    };
    const config =
      v.kind === "http_request"
        ? { method: v.method, url: v.url, ...(v.body && { body: v.body }), ...common }
        : { url: v.url, ...(v.secret && { secret: v.secret }), ...common };
    const input = {
      name: v.name,
      description: v.description || null,
      kind: v.kind,
      config,
      inputSchema,
    };
    try {
      if (ability) await updateAbility.mutateAsync({ skillsetId, id: ability.id, input });
      else await addAbility.mutateAsync({ skillsetId, input });
      toast.success(ability ? `Ability ${v.name} saved` : `Ability ${v.name} added`);
      onDone();
    } catch (error) {
      setErrors(
        formErrors(error, ABILITY_FIELDS, (path) =>
          path
            .replace(/^config\./, "")
            .replace(/^headers\..*/, "headers")
            .replace(/^inputSchema\..*/, "inputSchema"),
        ),
      );
    }
  }

  return (
    <form onSubmit={submit} className="grid gap-3 rounded-md border p-3" noValidate>
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="grid gap-1">
          <Label htmlFor={id("name")}>Ability name</Label>
          <Input
            id={id("name")}
            value={v.name}
            onChange={(e) => set("name", e.target.value)}
            placeholder="lookup_order"
            aria-invalid={Boolean(errors.name)}
          />
          {errors.name && <p className="text-destructive text-xs">{errors.name}</p>}
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
        <Label htmlFor={id("description")}>
          Ability description (tells the model when to use it)
        </Label>
        <Input
          id={id("description")}
          value={v.description}
          onChange={(e) => set("description", e.target.value)}
        />
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
          <Input
            id={id("url")}
            value={v.url}
            onChange={(e) => set("url", e.target.value)}
            placeholder="https://api.example.com/orders/{{input.orderId}}"
            aria-invalid={Boolean(errors.url)}
          />
          {errors.url && <p className="text-destructive text-xs">{errors.url}</p>}
        </div>
      </div>
      {v.kind === "http_request" ? (
        <div className="grid gap-1">
          <Label htmlFor={id("body")}>Body template (optional)</Label>
          <Textarea
            id={id("body")}
            value={v.body}
            onChange={(e) => set("body", e.target.value)}
            rows={3}
            placeholder='{"id": "{{input.orderId}}", "text": "{{event.text}}"}'
          />
        </div>
      ) : (
        <div className="grid gap-1">
          <Label htmlFor={id("secret")}>Signing secret (optional)</Label>
          <Input
            id={id("secret")}
            type="password"
            autoComplete="off"
            value={v.secret}
            onChange={(e) => set("secret", e.target.value)}
            placeholder={c.secretSet ? "A secret is set; leave empty to keep it" : ""}
          />
        </div>
      )}
      <div className="grid gap-3 sm:grid-cols-[1fr_10rem]">
        <div className="grid gap-1">
          <Label htmlFor={id("headers")}>Headers (one “Name: value” per line, optional)</Label>
          <Textarea
            id={id("headers")}
            value={v.headers}
            onChange={(e) => set("headers", e.target.value)}
            rows={2}
            placeholder="Authorization: Bearer …"
            aria-invalid={Boolean(errors.headers)}
          />
          {errors.headers && <p className="text-destructive text-xs">{errors.headers}</p>}
        </div>
        <div className="grid content-start gap-1">
          <Label htmlFor={id("timeout")}>Timeout (ms)</Label>
          <Input
            id={id("timeout")}
            type="number"
            min={500}
            max={30000}
            step={500}
            value={v.timeoutMs}
            onChange={(e) => set("timeoutMs", e.target.value)}
            aria-invalid={Boolean(errors.timeoutMs)}
          />
          {errors.timeoutMs && <p className="text-destructive text-xs">{errors.timeoutMs}</p>}
        </div>
      </div>
      <div className="grid gap-1">
        <Label htmlFor={id("input-schema")}>Input schema (JSON Schema, optional)</Label>
        <Textarea
          id={id("input-schema")}
          value={v.inputSchema}
          onChange={(e) => set("inputSchema", e.target.value)}
          rows={3}
          className="font-mono text-xs"
          placeholder={
            ability
              ? `Empty: derived from the templates:\n${JSON.stringify(ability.inputSchema)}`
              : 'Empty: derived from the templates ({{input.id}} becomes a required "id")'
          }
          aria-invalid={Boolean(errors.inputSchema)}
        />
        {errors.inputSchema && <p className="text-destructive text-xs">{errors.inputSchema}</p>}
      </div>
      {errors.form && (
        <p role="alert" className="text-destructive text-xs">
          {errors.form}
        </p>
      )}
      <div className="flex gap-2">
        <Button type="submit" size="sm" disabled={pending}>
          Save ability
        </Button>
        <Button type="button" size="sm" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
