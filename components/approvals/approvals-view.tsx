"use client";
import { ListBody, morePages } from "@/components/common/list";
import { EmptyState } from "@/components/common/states";
import { useUrlState } from "@/components/common/use-url-state";
import { PageHeader } from "@/components/shell/page-header";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { ApprovalCard } from "./approval-card";
import { useApprovals } from "./use-approvals";

const VIEWS = [
  { value: "pending", label: "Waiting" },
  { value: "all", label: "All" },
  { value: "approved", label: "Approved" },
  { value: "denied", label: "Denied" },
  { value: "expired", label: "Expired" },
] as const;

/** Calls that wait for a decision across every trigger, newest first; and the decisions made. */
export function ApprovalsView() {
  const url = useUrlState();
  const view = VIEWS.find((v) => v.value === url.value("status"))?.value ?? "pending";
  return (
    <>
      <PageHeader
        title="Approvals"
        description="Ability calls that wait for your decision before they run (a trigger's approval setting). Approve to run the call once; deny to tell the bot it may not. Undecided calls count as denied after the trigger's approval timeout."
      />
      <Tabs
        value={view}
        onValueChange={(v) => url.set({ status: v === "pending" ? null : v })}
        className="mb-4"
      >
        <TabsList aria-label="Show approvals" className="max-w-full overflow-x-auto">
          {VIEWS.map((v) => (
            <TabsTrigger key={v.value} value={v.value}>
              {v.label}
            </TabsTrigger>
          ))}
        </TabsList>
        {VIEWS.map((v) => (
          <TabsContent key={v.value} value={v.value}>
            {v.value === view && <ApprovalList view={view} />}
          </TabsContent>
        ))}
      </Tabs>
    </>
  );
}

function ApprovalList({ view }: { view: (typeof VIEWS)[number]["value"] }) {
  const approvals = useApprovals(view === "all" ? undefined : view);
  return (
    <ListBody
      state={approvals}
      items={approvals.data?.pages.flatMap((p) => p.items)}
      more={morePages(approvals, "approvals")}
      empty={
        <EmptyState title={view === "pending" ? "Nothing waits for a decision" : "No approvals"}>
          A trigger whose approval setting is &quot;write&quot; or &quot;all&quot; holds its
          bot&apos;s calls here until you decide.
        </EmptyState>
      }
    >
      {(items) => (
        <div className="flex flex-col gap-3" role="list" aria-label="Approvals">
          {items.map((a) => (
            <div role="listitem" key={a.id}>
              <ApprovalCard approval={a} event={a.event} triggerName={a.triggerName} />
            </div>
          ))}
        </div>
      )}
    </ListBody>
  );
}
