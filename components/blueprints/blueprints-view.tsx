"use client";
import { PlusIcon, Trash2Icon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/common/confirm-button";
import { RelativeTime } from "@/components/common/relative-time";
import { EmptyState, ErrorState, ListSkeleton } from "@/components/common/states";
import { PageHeader } from "@/components/shell/page-header";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { useBlueprints, useCreateBlueprint, useDeleteBlueprint } from "./use-blueprints";

export function BlueprintsView() {
  const blueprints = useBlueprints();
  const create = useCreateBlueprint();
  const remove = useDeleteBlueprint();
  const [name, setName] = useState("");
  return (
    <>
      <PageHeader
        title="Blueprints"
        description="Blueprints group triggers, bots and skillsets. Deleting one leaves its resources in place, unlinked."
      />
      <form
        className="mb-6 flex flex-col gap-2 sm:flex-row sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(
            { name },
            {
              onSuccess: () => (setName(""), toast.success("Blueprint created")),
              onError: (err) => toast.error(err.message),
            },
          );
        }}
      >
        <div className="grid flex-1 gap-1">
          <Label htmlFor="blueprint-name">New blueprint name</Label>
          <Input
            id="blueprint-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={255}
          />
        </div>
        <Button type="submit" disabled={!name.trim() || create.isPending}>
          <PlusIcon /> Create blueprint
        </Button>
      </form>
      {blueprints.isPending ? (
        <ListSkeleton />
      ) : blueprints.isError ? (
        <ErrorState error={blueprints.error} onRetry={() => blueprints.refetch()} />
      ) : !blueprints.data.length ? (
        <EmptyState title="No blueprints yet">
          Use blueprints to group the resources of one project or customer.
        </EmptyState>
      ) : (
        <Table aria-label="Blueprints">
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Created</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {blueprints.data.map((b) => (
              <TableRow key={b.id}>
                <TableCell className="font-medium">{b.name}</TableCell>
                <TableCell>
                  <RelativeTime value={b.createdAt} />
                </TableCell>
                <TableCell className="text-right">
                  <ConfirmButton
                    label={`Delete blueprint ${b.name}`}
                    title={`Delete the blueprint “${b.name}”?`}
                    description="Its triggers, bots and skillsets remain; they are only unlinked from it."
                    confirmLabel={`Delete “${b.name}”`}
                    onConfirm={() =>
                      remove.mutateAsync(b.id).then(() => toast.success(`Deleted ${b.name}`))
                    }
                  >
                    <Trash2Icon /> Delete
                  </ConfirmButton>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}
