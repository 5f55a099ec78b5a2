"use client";
import Link from "next/link";
import { useActionState } from "react";
import {
  FieldRow,
  FormAlert,
  setServerErrors,
  useFormMessages,
  useSchemaForm,
} from "@/components/common/schema-form";
import { Button } from "@/components/ui/button";
import { Card, CardDescription } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { signInAction } from "@/lib/auth/actions";
import { signupSchema } from "@/lib/auth/schema";
import { apiFetch } from "@/lib/client/api-client";

const FIELDS = ["name", "email", "password"] as const;
type Values = { name: string; email: string; password: string };

export function SignUpForm({ allowed }: { allowed: boolean }) {
  const [signInState, signIn] = useActionState(signInAction, undefined);
  const form = useSchemaForm({
    schema: signupSchema,
    toInput: (v: Values) => ({ email: v.email, password: v.password, name: v.name || undefined }),
    defaultValues: { name: "", email: "", password: "" },
  });
  const errors = useFormMessages(form, FIELDS);
  const message = (field: (typeof FIELDS)[number], label: string) =>
    errors[field] && `${label} ${errors[field]}`;
  const invalid = (field: string) =>
    errors[field] ? { "aria-invalid": true, "aria-describedby": `${field}-error` } : {};

  const submit = form.handleSubmit(async (input) => {
    try {
      await apiFetch("/api/auth/signup", { method: "POST", body: input });
    } catch (error) {
      return setServerErrors(form, error);
    }
    // signed in through the same server action as the sign-in page
    const data = new FormData();
    data.set("email", input.email);
    data.set("password", input.password);
    data.set("callbackUrl", "/triggers");
    signIn(data);
  });

  if (!allowed) {
    return (
      <Card>
        <h1 className="text-xl font-semibold">Sign-up is closed</h1>
        <CardDescription>Ask the administrator of this server for an account.</CardDescription>
        <Link href="/signin" className="text-sm underline">
          Back to sign in
        </Link>
      </Card>
    );
  }
  const pending = form.formState.isSubmitting || form.formState.isSubmitSuccessful;
  return (
    <Card>
      <div className="flex flex-col gap-1">
        <h1 className="text-xl font-semibold">Create account</h1>
        <CardDescription>Email and password; at least 8 characters.</CardDescription>
      </div>
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
        <FieldRow id="name" label="Name (optional)" error={message("name", "Name")}>
          <Input id="name" autoComplete="name" {...form.register("name")} {...invalid("name")} />
        </FieldRow>
        <FieldRow id="email" label="Email" error={message("email", "Email")}>
          <Input
            id="email"
            type="email"
            autoComplete="email"
            required
            {...form.register("email")}
            {...invalid("email")}
          />
        </FieldRow>
        <FieldRow id="password" label="Password" error={message("password", "Password")}>
          <Input
            id="password"
            type="password"
            autoComplete="new-password"
            required
            {...form.register("password")}
            {...invalid("password")}
          />
        </FieldRow>
        <FormAlert message={errors.form ?? signInState?.error} />
        <Button type="submit" disabled={pending && !signInState?.error}>
          {pending && !signInState?.error ? "Creating account…" : "Create account"}
        </Button>
      </form>
      <p className="text-muted-foreground text-sm">
        Have an account?{" "}
        <Link href="/signin" className="text-foreground font-medium underline underline-offset-4">
          Sign in
        </Link>
      </p>
    </Card>
  );
}
