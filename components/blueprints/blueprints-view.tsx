"use client";
import { toast } from "sonner";
import { CreateByNameForm } from "@/components/common/create-by-name-form";
import { DataTable, DeleteButton, ListBody } from "@/components/common/list";
import { RelativeTime } from "@/components/common/relative-time";
import { EmptyState } from "@/components/common/states";
import { PageHeader } from "@/components/shell/page-header";
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
      <ListBody
        state={blueprints}
        items={blueprints.data}
        empty={
          <EmptyState title="No blueprints yet">
            Use blueprints to group the resources of one project or customer.
          </EmptyState>
        }
      >
        {(rows) => (
          <DataTable
            label="Blueprints"
            rows={rows}
            columns={[
              { header: "Name", cell: (b) => b.name, className: "font-medium" },
              { header: "Created", cell: (b) => <RelativeTime value={b.createdAt} /> },
            ]}
            actions={(b) => (
              <DeleteButton
                name={b.name}
                what="blueprint"
                label={`Delete blueprint ${b.name}`}
                consequences="Its triggers, bots and skillsets remain; they are only unlinked from it."
                onDelete={() => remove.mutateAsync(b.id)}
              />
            )}
          />
        )}
      </ListBody>
    </>
  );
}
