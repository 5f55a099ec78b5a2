"use client";
import { KeyRoundIcon, PlusIcon, RotateCcwIcon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/common/confirm-button";
import { DeleteButton, ListBody, morePages } from "@/components/common/list";
import { OnceSecretDialog } from "@/components/common/once-secret-dialog";
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
import { Card, CardTitle } from "@/components/ui/card";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { createEndpointSchema, NOTIFICATION_TYPES } from "@/lib/outbox/schema";
import {
  useDeliveries,
  useEndpointMutations,
  useEndpoints,
  type Endpoint,
} from "./use-notifications";

const TYPE_LABELS: Record<(typeof NOTIFICATION_TYPES)[number], string> = {
  "event.failed": "A run failed",
  "event.completed": "A run completed",
  "approval.requested": "A call waits for approval",
  "budget.exceeded": "A trigger spent its monthly token budget",
  "trigger.paused": "A trigger was paused",
};

const SIGNING_HINT =
  "Deliveries carry webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks); verify them with this secret.";

/** The account's notification endpoints, each with its delivery log. */
export function NotificationsView() {
  const endpoints = useEndpoints();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ title: string; secret: string; hint: string } | null>(
    null,
  );
  return (
    <>
      <PageHeader
        title="Notifications"
        description="Webhooks that hear about your triggers: failed runs, calls waiting for approval, spent budgets, paused triggers. Signed with Standard Webhooks, retried for 24 hours."
        actions={
          <Button onClick={() => setCreating(true)}>
            <PlusIcon /> New endpoint
          </Button>
        }
      />
      <ListBody
        state={endpoints}
        items={endpoints.data}
        empty={
          <EmptyState
            title="No notification endpoints"
            action={<Button onClick={() => setCreating(true)}>New endpoint</Button>}
          >
            Add a URL that should hear when a run fails or a trigger pauses itself.
          </EmptyState>
        }
      >
        {(rows) => (
          <div className="flex flex-col gap-4">
            {rows.map((e) => (
              <EndpointCard
                key={e.id}
                endpoint={e}
                onSecret={(s) =>
                  setSecret({ title: "New signing secret", secret: s, hint: SIGNING_HINT })
                }
              />
            ))}
          </div>
        )}
      </ListBody>
      <Dialog open={creating} onOpenChange={setCreating}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>New notification endpoint</DialogTitle>
            <DialogDescription>
              The URL receives a signed POST for each event type you choose.
            </DialogDescription>
          </DialogHeader>
          <EndpointForm
            onCreated={(s) => {
              setCreating(false);
              setSecret({ title: "Endpoint created", secret: s, hint: SIGNING_HINT });
            }}
          />
        </DialogContent>
      </Dialog>
      <OnceSecretDialog value={secret} onClose={() => setSecret(null)} />
    </>
  );
}

const FIELDS = ["url", "events", "description"] as const;
type Values = { url: string; events: string[]; description: string };

function EndpointForm({ onCreated }: { onCreated: (secret: string) => void }) {
  const { create } = useEndpointMutations();
  const form = useSchemaForm({
    schema: createEndpointSchema,
    toInput: (v: Values) => ({
      url: v.url.trim(),
      events: v.events as (typeof NOTIFICATION_TYPES)[number][],
      description: v.description.trim() || null,
    }),
    defaultValues: { url: "", events: ["event.failed", "trigger.paused"], description: "" },
  });
  const errors = useFormMessages(form, FIELDS);
  const events = form.watch("events");
  const submit = form.handleSubmit(async (input) => {
    try {
      const r = await create.mutateAsync(input);
      toast.success("Endpoint created");
      onCreated(r.secret);
    } catch (error) {
      setServerErrors(form, error);
    }
  });
  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <FieldRow id="endpoint-url" label="URL" error={errors.url}>
        <Input
          id="endpoint-url"
          type="url"
          placeholder="https://example.com/hooks/triggers"
          {...form.register("url")}
          aria-invalid={Boolean(errors.url)}
        />
      </FieldRow>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">Events</legend>
        {NOTIFICATION_TYPES.map((t) => (
          <label key={t} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              className="accent-primary size-4"
              checked={events.includes(t)}
              onChange={(ev) =>
                form.setValue(
                  "events",
                  ev.target.checked ? [...events, t] : events.filter((x) => x !== t),
                )
              }
            />
            {TYPE_LABELS[t]} <span className="text-muted-foreground font-mono text-xs">{t}</span>
          </label>
        ))}
        {errors.events && <p className="text-destructive text-sm">{errors.events}</p>}
      </fieldset>
      <FieldRow id="endpoint-description" label="Description (optional)" error={errors.description}>
        <Input id="endpoint-description" {...form.register("description")} />
      </FieldRow>
      <FormAlert message={errors.form} />
      <Button type="submit" disabled={form.formState.isSubmitting}>
        {form.formState.isSubmitting ? "Creating…" : "Create endpoint"}
      </Button>
    </form>
  );
}

function EndpointCard({
  endpoint: e,
  onSecret,
}: {
  endpoint: Endpoint;
  onSecret: (secret: string) => void;
}) {
  const m = useEndpointMutations();
  const [open, setOpen] = useState(false);
  return (
    <Card>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <CardTitle className="font-mono text-sm break-all">{e.url}</CardTitle>
          {e.description && <p className="text-muted-foreground text-sm">{e.description}</p>}
          <div className="mt-2 flex flex-wrap gap-1">
            {e.enabled ? (
              <Badge variant="success">On</Badge>
            ) : (
              <Badge variant="destructive">Off</Badge>
            )}
            {e.events.map((t) => (
              <Badge key={t} variant="outline">
                {t}
              </Badge>
            ))}
          </div>
        </div>
        <div className="flex shrink-0 flex-wrap gap-1">
          <Button
            variant="outline"
            size="sm"
            aria-expanded={open}
            onClick={() => setOpen((o) => !o)}
          >
            {open ? "Hide deliveries" : "Deliveries"}
          </Button>
          <ConfirmButton
            label={`Rotate the signing secret of ${e.url}`}
            title="Rotate the signing secret?"
            description="Deliveries are signed with the new secret from now on; the old one stops verifying at once."
            confirmLabel="Rotate"
            onConfirm={async () => onSecret((await m.rotate.mutateAsync(e.id)).secret)}
          >
            <KeyRoundIcon aria-hidden /> Rotate secret
          </ConfirmButton>
          <DeleteButton
            name={e.url}
            what="endpoint"
            label={`Delete endpoint ${e.url}`}
            iconOnly
            consequences="It stops receiving notifications; its delivery log goes with it."
            onDelete={() => m.remove.mutateAsync(e.id)}
          />
        </div>
      </div>
      {!e.enabled && (
        <div
          role="status"
          className="border-destructive/40 bg-destructive/5 rounded-md border p-3 text-sm"
        >
          <p>{e.disabledReason ?? "Turned off."}</p>
          <Button
            size="sm"
            variant="outline"
            className="mt-2"
            onClick={() =>
              m.update.mutate(
                { id: e.id, input: { enabled: true } },
                { onSuccess: () => toast.success("Endpoint turned on") },
              )
            }
          >
            Turn on again
          </Button>
        </div>
      )}
      {e.enabled && e.failingSince && (
        <p className="text-destructive text-sm">
          Deliveries have failed since <RelativeTime value={e.failingSince} />; after 24 hours the
          endpoint is turned off.
        </p>
      )}
      {open && <Deliveries endpointId={e.id} />}
    </Card>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const deliveries = useDeliveries(endpointId);
  const { resend } = useEndpointMutations();
  const items = deliveries.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <ListBody
      state={deliveries}
      items={items}
      more={morePages(deliveries, "deliveries")}
      empty={<p className="text-muted-foreground text-sm">Nothing delivered yet.</p>}
    >
      {(rows) => (
        <ul aria-label="Deliveries" className="flex flex-col gap-2">
          {rows.map((d) => (
            <li
              key={d.id}
              className="flex flex-wrap items-center justify-between gap-2 rounded border p-2 text-sm"
            >
              <div className="flex min-w-0 flex-wrap items-center gap-2">
                <Badge
                  variant={
                    d.status === "delivered"
                      ? "success"
                      : d.status === "failed"
                        ? "destructive"
                        : "secondary"
                  }
                >
                  {d.status}
                </Badge>
                <span className="font-mono text-xs">{d.type}</span>
                <span className="text-muted-foreground text-xs">
                  {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
                  {d.lastStatus !== null && `, last HTTP ${d.lastStatus}`}
                </span>
                <RelativeTime value={d.createdAt} />
                {d.lastError && d.status !== "delivered" && (
                  <span className="text-destructive text-xs break-all">{d.lastError}</span>
                )}
              </div>
              <Button
                variant="ghost"
                size="sm"
                aria-label={`Resend delivery ${d.id}`}
                disabled={resend.isPending}
                onClick={() =>
                  resend.mutate(
                    { id: endpointId, deliveryId: d.id },
                    {
                      onSuccess: () => toast.success("Sent again"),
                      onError: (err) => toast.error(err.message),
                    },
                  )
                }
              >
                <RotateCcwIcon aria-hidden /> Resend
              </Button>
            </li>
          ))}
        </ul>
      )}
    </ListBody>
  );
}
