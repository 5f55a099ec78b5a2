import * as React from "react";
import { cn } from "@/lib/client/utils";

export const Card = ({ className, ...p }: React.ComponentProps<"div">) => (
  <div
    className={cn(
      "bg-card text-card-foreground flex min-w-0 flex-col gap-4 rounded-lg border p-4 shadow-xs sm:p-6",
      className,
    )}
    {...p}
  />
);
export const CardTitle = ({ className, ...p }: React.ComponentProps<"h2">) => (
  <h2 className={cn("text-base leading-none font-semibold", className)} {...p} />
);
export const CardDescription = ({ className, ...p }: React.ComponentProps<"p">) => (
  <p className={cn("text-muted-foreground text-sm", className)} {...p} />
);
