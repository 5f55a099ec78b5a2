"use client";
import { PlusIcon } from "lucide-react";
import type { z } from "zod";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FormAlert, setServerErrors, useFormMessages, useSchemaForm } from "./schema-form";

/** The one-field "New … name" form above a list, checked by the entity's create schema. */
export function CreateByNameForm({
  id,
  label,
  submitLabel,
  schema,
  onCreate,
}: {
  id: string;
  label: string;
  submitLabel: string;
  schema: z.ZodType<unknown, { name: string }>;
  onCreate: (input: { name: string }) => Promise<unknown>;
}) {
  const form = useSchemaForm({
    schema,
    toInput: (v: { name: string }) => ({ name: v.name }),
    defaultValues: { name: "" },
  });
  const errors = useFormMessages(form, ["name"]);
  const submit = form.handleSubmit(async () => {
    try {
      await onCreate({ name: form.getValues("name").trim() });
      form.reset();
    } catch (error) {
      setServerErrors(form, error);
    }
  });
  return (
    <form className="mb-6 grid gap-2" onSubmit={submit} noValidate>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <div className="grid flex-1 gap-1">
          <Label htmlFor={id}>{label}</Label>
          <Input
            id={id}
            {...form.register("name")}
            {...(errors.name && { "aria-invalid": true, "aria-describedby": `${id}-error` })}
          />
        </div>
        <Button type="submit" disabled={form.formState.isSubmitting}>
          <PlusIcon /> {submitLabel}
        </Button>
      </div>
      {errors.name && (
        <p id={`${id}-error`} className="text-destructive text-sm">
          Name {errors.name}
        </p>
      )}
      <FormAlert message={errors.form} />
    </form>
  );
}
