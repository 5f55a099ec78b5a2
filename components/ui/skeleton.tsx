import { cn } from "@/lib/client/utils";

export function Skeleton({ className, ...props }: React.ComponentProps<"div">) {
  return (
    <div
      data-slot="skeleton"
      aria-hidden
      className={cn("bg-accent animate-pulse rounded-md", className)}
      {...props}
    />
  );
}
