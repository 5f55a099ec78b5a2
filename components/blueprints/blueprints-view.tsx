"use client";
import { Trash2Icon } from "lucide-react";
import { toast } from "sonner";
import { ConfirmButton } from "@/components/common/confirm-button";
import { CreateByNameForm } from "@/components/common/create-by-name-form";
import { RelativeTime } from "@/components/common/relative-time";
import { EmptyState, ErrorState, ListSkeleton } from "@/components/common/states";
import { PageHeader } from "@/components/shell/page-header";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { createBlueprintSchema } from "@/lib/blueprints/schema";
import { useBlueprints, useCreateBlueprint, useDeleteBlueprint } from "./use-blueprints";

export function BlueprintsView() {
  const blueprints = useBlueprints();
  const create = useCreateBlueprint();
  const remove = useDeleteBlueprint();
  return (
    <>
      <PageHeader
        title="Blueprints"
        description="Blueprints group triggers, bots and skillsets. Deleting one leaves its resources in place, unlinked."
      />
      <CreateByNameForm
        id="blueprint-name"
        label="New blueprint name"
        submitLabel="Create blueprint"
        schema={createBlueprintSchema}
        onCreate={(input) =>
          create.mutateAsync(input).then(() => toast.success("Blueprint created"))
        }
      />
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
