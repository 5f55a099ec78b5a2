"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import {
  useForm,
  type FieldErrors,
  type FieldValues,
  type Path,
  type UseFormReturn,
} from "react-hook-form";
import { z } from "zod";
import { Label } from "@/components/ui/label";
import { placeIssues, serverIssues, type ApiIssue } from "@/lib/client/api-client";

/**
 * A form checked by the route's own schema: `toInput` turns what the controls
 * hold (text, seconds, "Name: value" lines) into the request body, and the
 * entity's zod schema checks that body exactly as the route will. The submit
 * handler receives the parsed body.
 */
export function useSchemaForm<V extends FieldValues, S extends z.ZodType>({
  schema,
  toInput,
  defaultValues,
}: {
  schema: S;
  toInput: (values: V, ctx: z.core.$RefinementCtx) => unknown;
  defaultValues: V;
}): UseFormReturn<V, unknown, z.output<S>> {
  return useForm<V, unknown, z.output<S>>({
    resolver: zodResolver(z.preprocess<unknown, S, V>(toInput, schema)),
    defaultValues: defaultValues as never,
  });
}

/** Every message react-hook-form holds, as `{path, message}` (nested objects flattened). */
function collect(errors: FieldErrors, prefix = ""): ApiIssue[] {
  const out: ApiIssue[] = [];
  for (const [key, value] of Object.entries(errors)) {
    if (!value || typeof value !== "object" || key === "ref") continue;
    const path = prefix ? `${prefix}.${key}` : key;
    const message = (value as { message?: unknown }).message;
    if (typeof message === "string" && message) out.push({ path, message });
    else out.push(...collect(value as FieldErrors, path));
  }
  return out;
}

/**
 * The form's messages by field, from the schema check and from the server
 * alike: each issue under the first field it belongs to (`rename` maps an API
 * path to a form field), everything else in `form`, so no issue goes unshown.
 */
export function useFormMessages<V extends FieldValues>(
  form: UseFormReturn<V, unknown, unknown>,
  fields: readonly string[],
  rename?: (path: string) => string,
): Record<string, string> {
  const issues = collect(form.formState.errors as FieldErrors).map((i) =>
    i.path === "root.server" ? { path: "", message: i.message } : i,
  );
  return placeIssues(issues, fields, rename);
}

/** Puts a failed save's 422 issues on the form (field paths as the API names them); anything else goes to the form-level message. */
export function setServerErrors<V extends FieldValues>(
  form: UseFormReturn<V, unknown, unknown>,
  error: unknown,
) {
  const { issues, message } = serverIssues(error);
  for (const issue of issues)
    form.setError(issue.path as Path<V>, { type: "server", message: issue.message });
  if (message) form.setError("root.server", { type: "server", message });
}

/** A labelled control with its error, tied to the control for assistive technology. */
export function FieldRow({
  id,
  label,
  error,
  hint,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  hint?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <div className="grid gap-2">
      <Label htmlFor={id}>{label}</Label>
      {children}
      {hint && <p className="text-muted-foreground text-xs">{hint}</p>}
      {error && (
        <p id={`${id}-error`} className="text-destructive text-sm" data-testid={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** The form-level message: issues on fields the form does not show, and failures that are not about a field. */
export function FormAlert({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="text-destructive text-sm">
      {message}
    </p>
  );
}
