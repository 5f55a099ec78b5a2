"use client";
import { PlusIcon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { CopyButton } from "@/components/common/copy-button";
import { DataTable, DeleteButton, ListBody } from "@/components/common/list";
import { OptionSelect } from "@/components/common/option-select";
import { RelativeTime } from "@/components/common/relative-time";
import {
  FieldRow,
  FormAlert,
  setServerErrors,
  useFormMessages,
  useSchemaForm,
} from "@/components/common/schema-form";
import { EmptyState } from "@/components/common/states";
import { PageHeader } from "@/components/shell/page-header";
import { Badge } from "@/components/ui/badge";
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
import {
  createTokenSchema,
  MAX_TOKEN_NAME_LENGTH,
  TOKEN_EXPIRY_CHOICES,
} from "@/lib/api-tokens/schema";
import { useCreateToken, useDeleteToken, useTokens } from "./use-tokens";

export function TokensView() {
  const tokens = useTokens();
  const remove = useDeleteToken();
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<string | null>(null);

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
      <ListBody
        state={tokens}
        items={tokens.data?.items}
        empty={<EmptyState title="No API tokens yet" />}
      >
        {(rows) => (
          <DataTable
            label="API tokens"
            rows={rows}
            columns={[
              { header: "Name", cell: (t) => t.name, className: "font-medium" },
              {
                header: "Token",
                cell: (t) => `tdk_••••${t.lastFour}`,
                className: "font-mono text-xs",
              },
              { header: "Created", cell: (t) => <RelativeTime value={t.createdAt} /> },
              {
                header: "Expires",
                cell: (t) =>
                  t.expired ? (
                    <Badge variant="destructive">Expired</Badge>
                  ) : (
                    <RelativeTime value={t.expiresAt} empty="Never" />
                  ),
              },
              {
                header: "Last used",
                cell: (t) => <RelativeTime value={t.lastUsedAt} empty="Never" />,
              },
            ]}
            actions={(t) => (
              <DeleteButton
                name={t.name}
                what="token"
                verb="Revoke"
                consequences="Programs using it get 401 from their next request. This cannot be undone; create a new token to replace it."
                onDelete={() => remove.mutateAsync(t.id)}
              />
            )}
          />
        )}
      </ListBody>
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
            <TokenForm onCreated={setCreated} />
          )}
        </DialogContent>
      </Dialog>
    </>
  );
}

const FIELDS = ["name", "expiresInDays", "password"] as const;
type Values = { name: string; expiry: string; password: string };

function TokenForm({ onCreated }: { onCreated: (token: string) => void }) {
  const create = useCreateToken();
  const form = useSchemaForm({
    schema: createTokenSchema,
    toInput: (v: Values) => ({
      name: v.name,
      expiresInDays: v.expiry === "never" ? null : Number(v.expiry),
      ...(v.password && { password: v.password }),
    }),
    defaultValues: { name: "", expiry: "90", password: "" },
  });
  const errors = useFormMessages(form, FIELDS);
  const submit = form.handleSubmit(async (input) => {
    try {
      const res = await create.mutateAsync(input);
      onCreated(res.token);
      toast.success("Token created");
    } catch (error) {
      setServerErrors(form, error);
    }
  });
  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <FieldRow id="token-name" label="Token name" error={errors.name}>
        <Input
          id="token-name"
          maxLength={MAX_TOKEN_NAME_LENGTH}
          required
          autoFocus
          aria-invalid={Boolean(errors.name)}
          {...form.register("name")}
        />
      </FieldRow>
      <FieldRow id="token-expiry" label="Expires" error={errors.expiresInDays}>
        <OptionSelect
          id="token-expiry"
          value={form.watch("expiry")}
          onChange={(v) => form.setValue("expiry", v)}
          first={{ value: "never", label: "Never" }}
          options={TOKEN_EXPIRY_CHOICES.map((d) => ({
            value: String(d),
            label: d === 365 ? "In a year" : `In ${d} days`,
          }))}
        />
      </FieldRow>
      <FieldRow
        id="token-password"
        label="Your password"
        error={errors.password}
        hint="Not needed within 10 minutes of signing in."
      >
        <Input
          id="token-password"
          type="password"
          autoComplete="current-password"
          aria-invalid={Boolean(errors.password)}
          {...form.register("password")}
        />
      </FieldRow>
      <FormAlert message={errors.form} />
      <DialogFooter>
        <Button type="submit" disabled={form.formState.isSubmitting || !form.watch("name").trim()}>
          {form.formState.isSubmitting ? "Creating…" : "Create token"}
        </Button>
      </DialogFooter>
    </form>
  );
}
