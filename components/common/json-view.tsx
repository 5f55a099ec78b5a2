import { cn } from "@/lib/client/utils";

/** A value as readable text: strings as they are, anything else as indented JSON. */
export function formatJson(value: unknown, empty = "(empty)"): string {
  if (value === null || value === undefined) return empty;
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}

/** A block of JSON (or text) that scrolls and can be reached by keyboard. */
export function JsonBlock({
  value,
  label,
  empty,
  className,
}: {
  value: unknown;
  label?: string;
  empty?: string;
  className?: string;
}) {
  return (
    <pre
      tabIndex={0}
      aria-label={label}
      className={cn(
        "bg-muted max-h-80 overflow-auto rounded p-2 text-xs break-all whitespace-pre-wrap",
        className,
      )}
    >
      {formatJson(value, empty)}
    </pre>
  );
}

/**
 * The one payload view: an event's body under a disclosure that names its content type (the
 * event list, the inspector and the transcript's event card all show it this way).
 */
export function PayloadView({
  payload,
  contentType,
  open = false,
  className,
}: {
  payload: unknown;
  contentType: string | null;
  open?: boolean;
  className?: string;
}) {
  return (
    <details open={open}>
      <summary className="text-muted-foreground cursor-pointer text-xs">
        {contentType ?? "no body"}
      </summary>
      <JsonBlock value={payload} label="Payload" className={cn("mt-1", className)} />
    </details>
  );
}
