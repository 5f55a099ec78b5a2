import * as React from "react";
import { cn } from "@/lib/client/utils";

export function Table({ className, ...props }: React.ComponentProps<"table">) {
  return (
    <div className="relative w-full overflow-x-auto">
      <table className={cn("w-full caption-bottom text-sm", className)} {...props} />
    </div>
  );
}
export const TableHeader = (p: React.ComponentProps<"thead">) => (
  <thead {...p} className={cn("[&_tr]:border-b", p.className)} />
);
export const TableBody = (p: React.ComponentProps<"tbody">) => (
  <tbody {...p} className={cn("[&_tr:last-child]:border-0", p.className)} />
);
export const TableRow = (p: React.ComponentProps<"tr">) => (
  <tr {...p} className={cn("hover:bg-muted/50 border-b transition-colors", p.className)} />
);
export const TableHead = (p: React.ComponentProps<"th">) => (
  <th
    {...p}
    className={cn(
      "text-muted-foreground h-10 px-2 text-left align-middle font-medium whitespace-nowrap",
      p.className,
    )}
  />
);
export const TableCell = (p: React.ComponentProps<"td">) => (
  <td {...p} className={cn("p-2 align-middle", p.className)} />
);
