"use client";
import { CheckIcon, FlaskConicalIcon, XIcon } from "lucide-react";
import Link from "next/link";
import { toast } from "sonner";
import { DataTable, DeleteButton, ListBody } from "@/components/common/list";
import { RelativeTime } from "@/components/common/relative-time";
import { EmptyState } from "@/components/common/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import type { Expectation } from "@/db/schema";
import {
  useDeleteTestCase,
  useRunTests,
  useTestCases,
  useTestRuns,
  type TestCase,
  type TestRun,
} from "./use-dry-runs";

/** An expectation as a sentence. */
export function describeExpectation(e: Expectation): string {
  switch (e.type) {
    case "reply_contains":
      return `The reply contains “${e.value}”`;
    case "reply_not_contains":
      return `The reply does not contain “${e.value}”`;
    case "reply_matches":
      return `The reply matches /${e.pattern}/`;
    case "tool_called":
      return `${e.tool} is called${e.input ? ` with ${JSON.stringify(e.input)}` : ""}`;
    case "tool_not_called":
      return `${e.tool} is not called`;
  }
}

/**
 * The trigger's Tests tab: its test cases (saved from events in the inspector), a button that
 * runs them all as dry runs against the current configuration, and the last runs' results.
 */
export function TriggerTests({ triggerId }: { triggerId: string }) {
  const cases = useTestCases(triggerId);
  const runs = useTestRuns(triggerId);
  const run = useRunTests(triggerId);
  const remove = useDeleteTestCase(triggerId);
  const latest = run.data ?? runs.data?.items[0];
  return (
    <div className="flex flex-col gap-4">
      <Card>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <CardTitle>Test cases</CardTitle>
          <Button
            onClick={() =>
              run.mutate(
                {},
                {
                  onSuccess: (r) =>
                    toast[r.status === "passed" ? "success" : "error"](
                      `${r.passed} of ${r.cases} test case${r.cases === 1 ? "" : "s"} passed`,
                    ),
                  onError: (e) => toast.error(e.message),
                },
              )
            }
            disabled={run.isPending || !cases.data?.length}
          >
            <FlaskConicalIcon aria-hidden /> {run.isPending ? "Running tests…" : "Run tests"}
          </Button>
        </div>
        <p className="text-muted-foreground text-sm">
          Each case is a stored event run again as a dry run with the trigger&apos;s current bot,
          prompt and abilities: tool calls are answered from what the event&apos;s run recorded,
          nothing is sent. At most 50 per trigger.
        </p>
        <ListBody
          state={cases}
          items={cases.data}
          empty={
            <EmptyState title="No test cases yet">
              Open an event of this trigger and choose “Save as test case” to keep it with what a
              run on it should do.
            </EmptyState>
          }
        >
          {(items) => (
            <DataTable<TestCase>
              label="Test cases"
              rows={items}
              columns={[
                {
                  header: "Name",
                  cell: (c) => (
                    <Link className="underline" href={`/triggers/${triggerId}/events/${c.eventId}`}>
                      {c.name}
                    </Link>
                  ),
                },
                {
                  header: "Expectations",
                  cell: (c) => (
                    <ul className="text-xs">
                      {c.expectations.map((e, i) => (
                        <li key={i}>{describeExpectation(e)}</li>
                      ))}
                    </ul>
                  ),
                },
                { header: "Recorded calls", cell: (c) => c.recordedCalls },
              ]}
              actions={(c) => (
                <DeleteButton
                  name={c.name}
                  what="test case"
                  consequences="The saved event and expectations go; the event itself, if still stored, stays."
                  onDelete={() => remove.mutateAsync(c.id)}
                  iconOnly
                />
              )}
            />
          )}
        </ListBody>
      </Card>
      <Card>
        <CardTitle>Last test run</CardTitle>
        {run.isError && (
          <p role="alert" className="text-destructive text-sm">
            {run.error.message}
          </p>
        )}
        <ListBody
          state={runs}
          items={latest ? [latest] : []}
          empty={<p className="text-muted-foreground text-sm">No test run yet.</p>}
        >
          {([r]) => <TestRunResult run={r} />}
        </ListBody>
        {(runs.data?.items.length ?? 0) > 1 && (
          <div>
            <h3 className="text-sm font-medium">Earlier runs</h3>
            <ul aria-label="Earlier test runs" className="text-sm">
              {runs.data!.items.slice(1).map((r) => (
                <li key={r.id} className="flex flex-wrap items-center gap-2">
                  <RunBadge status={r.status} />
                  {r.passed} of {r.cases} passed,{" "}
                  {r.createdAt && <RelativeTime value={r.createdAt} />}
                </li>
              ))}
            </ul>
          </div>
        )}
      </Card>
    </div>
  );
}

function RunBadge({ status }: { status: TestRun["status"] }) {
  return (
    <Badge
      variant={status === "passed" ? "success" : status === "running" ? "secondary" : "destructive"}
    >
      {status}
    </Badge>
  );
}

function TestRunResult({ run }: { run: TestRun }) {
  return (
    <section aria-label="Test run result" className="flex flex-col gap-3">
      <p className="flex flex-wrap items-center gap-2 text-sm" role="status">
        <RunBadge status={run.status} />
        {run.passed} of {run.cases} passed
        {run.createdAt && (
          <>
            , <RelativeTime value={run.createdAt} />
          </>
        )}
      </p>
      <ul aria-label="Test case results" className="flex flex-col gap-2">
        {run.results.map((c) => (
          <li key={c.caseId} className="rounded-md border p-3">
            <p className="flex items-center gap-2 text-sm font-medium">
              <Badge variant={c.passed ? "success" : "destructive"}>
                {c.passed ? "passed" : "failed"}
              </Badge>
              {c.name}
            </p>
            {c.error && <p className="text-destructive text-xs">{c.error}</p>}
            <ul className="mt-2 flex flex-col gap-1 text-xs">
              {c.expectations.map((e, i) => (
                <li key={i} className="flex items-start gap-1.5">
                  {e.passed ? (
                    <CheckIcon className="size-4 shrink-0 text-emerald-600" aria-label="held" />
                  ) : (
                    <XIcon className="text-destructive size-4 shrink-0" aria-label="did not hold" />
                  )}
                  <span>
                    {describeExpectation(e)}: {e.detail}
                  </span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}
