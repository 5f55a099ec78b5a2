"use client";
import { PlusIcon, Trash2Icon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/common/confirm-button";
import { CopyButton } from "@/components/common/copy-button";
import { RelativeTime } from "@/components/common/relative-time";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Skeleton } from "@/components/ui/skeleton";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { OptionSelect } from "@/components/common/option-select";
import { Badge } from "@/components/ui/badge";
import { MAX_TOKEN_NAME_LENGTH, TOKEN_EXPIRY_CHOICES } from "@/lib/api-tokens/schema";
import { useCreateToken, useDeleteToken, useTokens } from "./use-tokens";

export function TokensView() {
  const tokens = useTokens();
  const create = useCreateToken();
  const remove = useDeleteToken();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState("90");
  const [password, setPassword] = useState("");
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  async function onCreate(event: React.FormEvent) {
    event.preventDefault();
    setFormError(null);
    try {
      const res = await create.mutateAsync({
        name,
        expiresInDays: expiry === "never" ? null : Number(expiry),
        ...(password && { password }),
      });
      setCreated(res.token);
      setName("");
      setPassword("");
      toast.success("Token created");
    } catch (error) {
      setFormError(error instanceof Error ? error.message : "Could not create the token");
    }
  }

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens let programs call the REST API (Authorization: Bearer <token>). A token is shown once, when it is created."
        actions={
          <Button
            onClick={() => {
              setCreated(null);
              setOpen(true);
            }}
          >
            <PlusIcon /> New token
          </Button>
        }
      />
      {tokens.isPending ? (
        <div className="flex flex-col gap-2">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} className="h-10" />
          ))}
        </div>
      ) : tokens.isError ? (
        <div role="alert" className="text-destructive flex items-center gap-3 text-sm">
          {tokens.error.message}
          <Button variant="outline" size="sm" onClick={() => tokens.refetch()}>
            Retry
          </Button>
        </div>
      ) : tokens.data.items.length === 0 ? (
        <p className="text-muted-foreground rounded-lg border border-dashed p-8 text-center text-sm">
          No API tokens yet.
        </p>
      ) : (
        <Table aria-label="API tokens">
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Token</TableHead>
              <TableHead>Created</TableHead>
              <TableHead>Expires</TableHead>
              <TableHead>Last used</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {tokens.data.items.map((t) => (
              <TableRow key={t.id}>
                <TableCell className="font-medium">{t.name}</TableCell>
                <TableCell className="font-mono text-xs">tdk_••••{t.lastFour}</TableCell>
                <TableCell>
                  <RelativeTime value={t.createdAt} />
                </TableCell>
                <TableCell>
                  {t.expired ? (
                    <Badge variant="destructive">Expired</Badge>
                  ) : (
                    <RelativeTime value={t.expiresAt} empty="Never" />
                  )}
                </TableCell>
                <TableCell>
                  <RelativeTime value={t.lastUsedAt} empty="Never" />
                </TableCell>
                <TableCell className="text-right">
                  <ConfirmButton
                    label={`Revoke ${t.name}`}
                    title={`Revoke the token “${t.name}”?`}
                    description="Programs using it get 401 from their next request. This cannot be undone; create a new token to replace it."
                    confirmLabel={`Revoke “${t.name}”`}
                    onConfirm={() =>
                      remove.mutateAsync(t.id).then(() => toast.success(`Revoked ${t.name}`))
                    }
                  >
                    <Trash2Icon /> Revoke
                  </ConfirmButton>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>{created ? "Copy your token now" : "New API token"}</DialogTitle>
            <DialogDescription>
              {created
                ? "This token will not be shown again. Store it somewhere safe."
                : "Name it after the program that will use it."}
            </DialogDescription>
          </DialogHeader>
          {created ? (
            <>
              <div className="flex items-center gap-2">
                <code
                  data-testid="new-token"
                  className="bg-muted min-w-0 flex-1 rounded p-2 text-xs break-all"
                >
                  {created}
                </code>
                <CopyButton value={created} label="Copy token" />
              </div>
              <DialogFooter>
                <Button onClick={() => setOpen(false)}>Done</Button>
              </DialogFooter>
            </>
          ) : (
            <form onSubmit={onCreate} className="flex flex-col gap-4">
              <div className="grid gap-2">
                <Label htmlFor="token-name">Token name</Label>
                <Input
                  id="token-name"
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  maxLength={MAX_TOKEN_NAME_LENGTH}
                  required
                  autoFocus
                />
              </div>
              <div className="grid gap-2">
                <Label htmlFor="token-expiry">Expires</Label>
                <OptionSelect
                  id="token-expiry"
                  value={expiry}
                  onChange={setExpiry}
                  first={{ value: "never", label: "Never" }}
                  options={TOKEN_EXPIRY_CHOICES.map((d) => ({
                    value: String(d),
                    label: d === 365 ? "In a year" : `In ${d} days`,
                  }))}
                />
              </div>
              <div className="grid gap-2">
                <Label htmlFor="token-password">Your password</Label>
                <Input
                  id="token-password"
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  aria-describedby="token-password-hint"
                />
                <p id="token-password-hint" className="text-muted-foreground text-xs">
                  Not needed within 10 minutes of signing in.
                </p>
              </div>
              {formError && (
                <p role="alert" className="text-destructive text-sm">
                  {formError}
                </p>
              )}
              <DialogFooter>
                <Button type="submit" disabled={create.isPending || !name.trim()}>
                  {create.isPending ? "Creating…" : "Create token"}
                </Button>
              </DialogFooter>
            </form>
          )}
        </DialogContent>
      </Dialog>
    </>
  );
}
