"use client";
import { useActionState, useState } from "react";
import { ConfirmButton } from "@/components/common/confirm-button";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  changePasswordAction,
  connectProviderAction,
  signOutEverywhereAction,
} from "@/lib/auth/actions";

type Provider = { id: string; name: string; linked: boolean; linkedEmail: string | null };

export function AccountView({
  email,
  providers,
  notice,
}: {
  email: string;
  providers: Provider[];
  notice: { kind: "ok" | "error"; text: string } | null;
}) {
  const [state, changePassword, pending] = useActionState(changePasswordAction, undefined);
  const [revokeTokens, setRevokeTokens] = useState(true);
  return (
    <div className="flex max-w-2xl flex-col gap-4">
      <PageHeader title="Account" description={`Signed in as ${email}.`} />
      {notice && (
        <p
          role={notice.kind === "error" ? "alert" : "status"}
          className={notice.kind === "error" ? "text-destructive text-sm" : "text-sm"}
        >
          {notice.text}
        </p>
      )}
      <Card>
        <CardTitle>Password</CardTitle>
        <CardDescription>
          Changing it signs out every other browser and device and, unless you untick it below,
          revokes your API tokens.
        </CardDescription>
        <form action={changePassword} className="grid gap-3">
          <div className="grid gap-1">
            <Label htmlFor="current-password">Current password</Label>
            <Input
              id="current-password"
              name="currentPassword"
              type="password"
              autoComplete="current-password"
              aria-invalid={state?.field === "currentPassword"}
            />
          </div>
          <div className="grid gap-1">
            <Label htmlFor="new-password">New password</Label>
            <Input
              id="new-password"
              name="newPassword"
              type="password"
              autoComplete="new-password"
              aria-invalid={state?.field === "newPassword"}
            />
          </div>
          <RevokeTokensBox id="password-revoke-tokens" name="revokeTokens" defaultChecked />
          {state?.error && (
            <p role="alert" className="text-destructive text-sm">
              {state.error}
            </p>
          )}
          <Button type="submit" disabled={pending} className="w-fit">
            {pending ? "Changing…" : "Change password"}
          </Button>
        </form>
      </Card>
      {providers.length > 0 && (
        <Card>
          <CardTitle>Connected sign-ins</CardTitle>
          <CardDescription>
            Sign in with another provider once it is connected here. It is never linked by email
            alone.
          </CardDescription>
          <ul className="flex flex-col gap-2">
            {providers.map((p) => (
              <li key={p.id} className="flex flex-wrap items-center justify-between gap-2">
                <span className="text-sm">
                  {p.name}{" "}
                  {p.linked ? (
                    <Badge variant="success">
                      Connected{p.linkedEmail ? ` (${p.linkedEmail})` : ""}
                    </Badge>
                  ) : (
                    <Badge variant="outline">Not connected</Badge>
                  )}
                </span>
                {!p.linked && (
                  <form action={connectProviderAction}>
                    <input type="hidden" name="provider" value={p.id} />
                    <Button type="submit" variant="outline" size="sm">
                      Connect {p.name}
                    </Button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Card>
        <CardTitle>Sessions</CardTitle>
        <CardDescription>
          Sign out of every browser and device, this one included. A leaked API token is a session
          too: they are revoked with the sessions unless you untick it.
        </CardDescription>
        <RevokeTokensBox
          id="signout-revoke-tokens"
          checked={revokeTokens}
          onChange={(e) => setRevokeTokens(e.target.checked)}
        />
        <ConfirmButton
          label="Sign out everywhere"
          title="Sign out everywhere?"
          description={
            revokeTokens
              ? "Every session of this account ends now, including this one, and every API token is revoked."
              : "Every session of this account ends now, including this one. API tokens keep working."
          }
          confirmLabel="Sign out everywhere"
          onConfirm={() => signOutEverywhereAction(revokeTokens)}
          size="default"
        >
          Sign out everywhere
        </ConfirmButton>
      </Card>
    </div>
  );
}

function RevokeTokensBox({
  id,
  ...props
}: { id: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div className="flex items-center gap-2">
      <input id={id} type="checkbox" className="accent-primary size-4" {...props} />
      <Label htmlFor={id} className="font-normal">
        Also revoke every API token
      </Label>
    </div>
  );
}
