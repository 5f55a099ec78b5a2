"use client";
import type { z } from "zod";
import { toast } from "sonner";
import {
  FieldRow,
  FormAlert,
  setServerErrors,
  useFormMessages,
  useSchemaForm,
} from "@/components/common/schema-form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { createAbilitySchema } from "@/lib/skillsets/schema";
import { httpRequestConfig } from "@/lib/abilities/config";
import { McpToolsField, toChoices, type ToolChoice } from "./mcp-tools-field";
import { useSkillsetMutations, type Ability } from "./use-skillsets";
import { ApiClientError } from "@/lib/client/api-client";

/** The fields this form shows an error under; any other issue goes to the form-level message. */
const ABILITY_FIELDS = [
  "name",
  "description",
  "kind",
  "method",
  "url",
  "body",
  "secret",
  "headers",
  "timeoutMs",
  "inputSchema",
  "effect",
  "tools",
] as const;
const fieldOf = (path: string) => path.replace(/^config\./, "");

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

type AbilityFormValues = {
  name: string;
  description: string;
  kind: Ability["kind"];
  method: string;
  url: string;
  body: string;
  secret: string;
  headers: string;
  timeoutMs: string;
  inputSchema: string;
  /** "auto": read for an HTTP GET, write for everything else. */
  effect: "auto" | "read" | "write";
  /** An MCP server's tools as last discovered, with the owner's choices. */
  tools: ToolChoice[];
};

/** An MCP server's config: the tools offered when not all are, and effects that differ from the server's. */
function mcpChoices(tools: ToolChoice[]) {
  if (!tools.length) return {};
  const usable = tools.filter((t) => !t.problem);
  const offered = usable.filter((t) => t.enabled).map((t) => t.name);
  const effects = Object.fromEntries(
    tools.filter((t) => t.effect !== t.annotated).map((t) => [t.name, t.effect]),
  );
  return {
    tools: offered.length === usable.length ? null : offered,
    ...(Object.keys(effects).length && { effects }),
  };
}

/**
 * The request body from the controls. Text that is not what it must be (a
 * header line, JSON) is reported here, before the schema looks at the rest.
 */
function toAbilityInput(v: AbilityFormValues, ctx: z.core.$RefinementCtx) {
  const headers = parseHeaders(v.headers);
  if (typeof headers === "string")
    ctx.addIssue({ code: "custom", message: headers, path: ["config", "headers"] });
  let inputSchema: unknown = null;
  if (v.inputSchema.trim()) {
    try {
      inputSchema = JSON.parse(v.inputSchema);
    } catch (error) {
      const message = `Not JSON: ${error instanceof Error ? error.message : "parse error"}`;
      ctx.addIssue({ code: "custom", message, path: ["inputSchema"] });
    }
  }
  const common = {
    ...(typeof headers === "object" && Object.keys(headers).length && { headers }),
    timeoutMs: v.timeoutMs.trim() === "" ? undefined : Number(v.timeoutMs),
  };
  return {
    name: v.name,
    description: v.description || null,
    kind: v.kind,
    inputSchema: v.kind === "mcp" ? null : inputSchema,
    ...(v.effect !== "auto" && v.kind !== "mcp" && { effect: v.effect }),
    config:
      v.kind === "http_request"
        ? { method: v.method, url: v.url, ...(v.body && { body: v.body }), ...common }
        : v.kind === "mcp"
          ? { url: v.url, ...common, ...mcpChoices(v.tools) }
          : { url: v.url, ...(v.secret && { secret: v.secret }), ...common },
  };
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
  const { addAbility, updateAbility, discoverTools, refreshTools } = useSkillsetMutations();
  const c = ability?.config ?? {};
  // The whole ability is sent on update too, so the create schema checks both.
  const form = useSchemaForm({
    schema: createAbilitySchema,
    toInput: toAbilityInput,
    defaultValues: {
      name: ability?.name ?? "",
      description: ability?.description ?? "",
      kind: ability?.kind ?? "http_request",
      method: typeof c.method === "string" ? c.method : "POST",
      url: typeof c.url === "string" ? c.url : "",
      body: typeof c.body === "string" ? c.body : "",
      secret: "",
      headers: headersToText(c.headers),
      timeoutMs: typeof c.timeoutMs === "number" ? String(c.timeoutMs) : "10000",
      inputSchema:
        ability?.inputSchemaSource === "custom" ? JSON.stringify(ability.inputSchema, null, 2) : "",
      effect: ability?.effect ?? "auto",
      tools: toChoices(ability?.tools ?? []),
    },
  });
  const errors = useFormMessages(form, ABILITY_FIELDS, fieldOf);
  const kind = form.watch("kind");
  const tools = form.watch("tools");
  const setTools = (t: ToolChoice[]) => form.setValue("tools", t, { shouldDirty: true });
  // a saved server refreshes from its stored URL and headers; a new one is asked with the form's
  const discover = async () => {
    form.clearErrors("tools");
    try {
      if (ability?.kind === "mcp") {
        const fresh = await refreshTools.mutateAsync({ skillsetId, id: ability.id });
        setTools(toChoices(fresh.tools ?? []));
      } else {
        const headers = parseHeaders(form.getValues("headers"));
        const { tools: found } = await discoverTools.mutateAsync({
          skillsetId,
          config: {
            url: form.getValues("url"),
            ...(typeof headers === "object" && Object.keys(headers).length && { headers }),
          },
        });
        setTools(toChoices(found));
      }
    } catch (error) {
      const message =
        error instanceof ApiClientError
          ? error.message
          : "The server could not be asked for its tools";
      form.setError("tools", { message });
    }
  };
  const id = (f: string) => `ability-${ability?.id ?? skillsetId}-${f}`;
  const invalid = (field: string) =>
    errors[field] ? { "aria-invalid": true, "aria-describedby": `${id(field)}-error` } : {};

  const submit = form.handleSubmit(async (input) => {
    try {
      if (ability) await updateAbility.mutateAsync({ skillsetId, id: ability.id, input });
      else await addAbility.mutateAsync({ skillsetId, input });
      toast.success(ability ? `Ability ${input.name} saved` : `Ability ${input.name} added`);
      onDone();
    } catch (error) {
      setServerErrors(form, error);
    }
  });

  return (
    <form onSubmit={submit} className="grid gap-3 rounded-md border p-3" noValidate>
      <div className="grid gap-3 sm:grid-cols-2">
        <FieldRow id={id("name")} label="Ability name" error={errors.name}>
          <Input
            id={id("name")}
            placeholder="lookup_order"
            {...form.register("name")}
            {...invalid("name")}
          />
        </FieldRow>
        <FieldRow id={id("kind")} label="Kind" error={errors.kind}>
          <Select value={kind} onValueChange={(k) => form.setValue("kind", k as Ability["kind"])}>
            <SelectTrigger id={id("kind")} {...invalid("kind")}>
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="http_request">HTTP request</SelectItem>
              <SelectItem value="webhook">Webhook (POST JSON)</SelectItem>
              <SelectItem value="mcp">MCP server (its tools)</SelectItem>
            </SelectContent>
          </Select>
        </FieldRow>
      </div>
      <FieldRow
        id={id("description")}
        label="Ability description (tells the model when to use it)"
        error={errors.description}
      >
        <Input
          id={id("description")}
          {...form.register("description")}
          {...invalid("description")}
        />
      </FieldRow>
      {kind !== "mcp" && (
        <FieldRow
          id={id("effect")}
          label="Effect"
          error={errors.effect}
          hint="Write calls can be held for approval, and a trigger can offer read abilities only."
        >
          <Select
            value={form.watch("effect")}
            onValueChange={(e) => form.setValue("effect", e as AbilityFormValues["effect"])}
          >
            <SelectTrigger id={id("effect")} {...invalid("effect")}>
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="auto">From the method (GET reads, others write)</SelectItem>
              <SelectItem value="read">Read: it only looks something up</SelectItem>
              <SelectItem value="write">Write: it changes something</SelectItem>
            </SelectContent>
          </Select>
        </FieldRow>
      )}
      <div className="grid gap-3 sm:grid-cols-[8rem_1fr]">
        {kind === "http_request" && (
          <FieldRow id={id("method")} label="Method" error={errors.method}>
            <Select value={form.watch("method")} onValueChange={(m) => form.setValue("method", m)}>
              <SelectTrigger id={id("method")} {...invalid("method")}>
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {httpRequestConfig.shape.method.unwrap().options.map((m) => (
                  <SelectItem key={m} value={m}>
                    {m}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </FieldRow>
        )}
        <div className="sm:col-start-2">
          <FieldRow id={id("url")} label="URL" error={errors.url}>
            <Input
              id={id("url")}
              placeholder={
                kind === "mcp"
                  ? "https://mcp.example.com/mcp"
                  : "https://api.example.com/orders/{{input.orderId}}"
              }
              {...form.register("url")}
              {...invalid("url")}
            />
          </FieldRow>
        </div>
      </div>
      {kind === "mcp" ? null : kind === "http_request" ? (
        <FieldRow id={id("body")} label="Body template (optional)" error={errors.body}>
          <Textarea
            id={id("body")}
            rows={3}
            placeholder='{"id": "{{input.orderId}}", "text": "{{event.text}}"}'
            {...form.register("body")}
            {...invalid("body")}
          />
        </FieldRow>
      ) : (
        <FieldRow id={id("secret")} label="Signing secret (optional)" error={errors.secret}>
          <Input
            id={id("secret")}
            type="password"
            autoComplete="off"
            placeholder={c.secretSet ? "A secret is set; leave empty to keep it" : ""}
            {...form.register("secret")}
            {...invalid("secret")}
          />
        </FieldRow>
      )}
      <div className="grid gap-3 sm:grid-cols-[1fr_10rem]">
        <FieldRow
          id={id("headers")}
          label="Headers (one “Name: value” per line, optional)"
          error={errors.headers}
        >
          <Textarea
            id={id("headers")}
            rows={2}
            placeholder="Authorization: Bearer …"
            {...form.register("headers")}
            {...invalid("headers")}
          />
        </FieldRow>
        <FieldRow id={id("timeoutMs")} label="Timeout (ms)" error={errors.timeoutMs}>
          <Input
            id={id("timeoutMs")}
            type="number"
            step={500}
            {...form.register("timeoutMs")}
            {...invalid("timeoutMs")}
          />
        </FieldRow>
      </div>
      {kind === "mcp" && (
        <McpToolsField
          id={id("tools")}
          tools={tools}
          onChange={setTools}
          onDiscover={() => void discover()}
          discovering={discoverTools.isPending || refreshTools.isPending}
          saved={ability?.kind === "mcp"}
          error={errors.tools}
        />
      )}
      {kind !== "mcp" && (
        <FieldRow
          id={id("inputSchema")}
          label="Input schema (JSON Schema, optional)"
          error={errors.inputSchema}
        >
          <Textarea
            id={id("inputSchema")}
            rows={3}
            className="font-mono text-xs"
            placeholder={
              ability
                ? `Empty: derived from the templates:\n${JSON.stringify(ability.inputSchema)}`
                : 'Empty: derived from the templates ({{input.id}} becomes a required "id")'
            }
            {...form.register("inputSchema")}
            {...invalid("inputSchema")}
          />
        </FieldRow>
      )}
      <FormAlert message={errors.form} />
      <div className="flex gap-2">
        <Button type="submit" size="sm" disabled={form.formState.isSubmitting}>
          Save ability
        </Button>
        <Button type="button" size="sm" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
