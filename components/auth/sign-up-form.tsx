"use client";
import Link from "next/link";
import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardDescription } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { ApiClientError, apiFetch } from "@/lib/client/api-client";
import { signInAction } from "@/lib/auth/actions";

type FieldErrors = Partial<Record<"email" | "password" | "name" | "form", string>>;

export function SignUpForm({ allowed }: { allowed: boolean }) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [signInState, signIn] = useActionState(signInAction, undefined);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setErrors({});
    try {
      await apiFetch("/api/auth/signup", {
        method: "POST",
        body: {
          email: form.get("email"),
          password: form.get("password"),
          name: form.get("name") || undefined,
        },
      });
      form.set("callbackUrl", "/triggers");
      signIn(form);
    } catch (error) {
      setPending(false);
      if (error instanceof ApiClientError) {
        const next: FieldErrors = {};
        for (const issue of error.issues ?? [])
          next[issue.path as keyof FieldErrors] = `${capitalize(issue.path)} ${issue.message}`;
        if (!error.issues?.length) next.form = error.message;
        setErrors(next);
      } else setErrors({ form: "Could not reach the server. Try again." });
    }
  }

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
  return (
    <Card>
      <div className="flex flex-col gap-1">
        <h1 className="text-xl font-semibold">Create account</h1>
        <CardDescription>Email and password; at least 8 characters.</CardDescription>
      </div>
      <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
        <Field id="name" label="Name (optional)" error={errors.name} autoComplete="name" />
        <Field
          id="email"
          label="Email"
          type="email"
          error={errors.email}
          autoComplete="email"
          required
        />
        <Field
          id="password"
          label="Password"
          type="password"
          error={errors.password}
          autoComplete="new-password"
          required
        />
        {(errors.form || signInState?.error) && (
          <p role="alert" className="text-destructive text-sm">
            {errors.form ?? signInState?.error}
          </p>
        )}
        <Button type="submit" disabled={pending}>
          {pending ? "Creating account…" : "Create account"}
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

function Field({
  id,
  label,
  error,
  ...props
}: { id: string; label: string; error?: string } & React.ComponentProps<typeof Input>) {
  return (
    <div className="grid gap-2">
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        name={id}
        aria-invalid={Boolean(error)}
        aria-describedby={error ? `${id}-error` : undefined}
        {...props}
      />
      {error && (
        <p id={`${id}-error`} className="text-destructive text-sm">
          {error}
        </p>
      )}
    </div>
  );
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
