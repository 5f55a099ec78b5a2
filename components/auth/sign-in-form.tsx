"use client";
import Link from "next/link";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardDescription } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { oauthSignInAction, signInAction } from "@/lib/auth/actions";

export function SignInForm({
  callbackUrl,
  providers,
  notice,
}: {
  callbackUrl: string;
  providers: { id: string; name: string }[];
  notice?: string;
}) {
  const [state, action, pending] = useActionState(signInAction, undefined);
  return (
    <Card>
      <div className="flex flex-col gap-1">
        <h1 className="text-xl font-semibold">Sign in</h1>
        <CardDescription>Trigger integrations, schedules and their conversations.</CardDescription>
      </div>
      <form action={action} className="flex flex-col gap-4">
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <div className="grid gap-2">
          <Label htmlFor="email">Email</Label>
          <Input
            id="email"
            name="email"
            type="email"
            autoComplete="email"
            defaultValue={state?.email}
            key={state?.email}
            required
          />
        </div>
        <div className="grid gap-2">
          <Label htmlFor="password">Password</Label>
          <Input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
          />
        </div>
        {(state?.error ?? notice) && (
          <p role="alert" className="text-destructive text-sm">
            {state?.error ?? notice}
          </p>
        )}
        <Button type="submit" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {providers.map((p) => (
        <form key={p.id} action={oauthSignInAction}>
          <input type="hidden" name="provider" value={p.id} />
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <Button type="submit" variant="outline" className="w-full">
            Continue with {p.name}
          </Button>
        </form>
      ))}
      <p className="text-muted-foreground text-sm">
        No account?{" "}
        <Link href="/signup" className="text-foreground font-medium underline underline-offset-4">
          Create one
        </Link>
      </p>
    </Card>
  );
}
