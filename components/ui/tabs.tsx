"use client";
import { Tabs as Primitive } from "radix-ui";
import * as React from "react";
import { cn } from "@/lib/client/utils";

export const Tabs = ({ className, ...p }: React.ComponentProps<typeof Primitive.Root>) => (
  <Primitive.Root className={cn("flex flex-col gap-4", className)} {...p} />
);
export const TabsList = ({ className, ...p }: React.ComponentProps<typeof Primitive.List>) => (
  <Primitive.List
    className={cn(
      "bg-muted text-muted-foreground inline-flex h-9 w-fit items-center rounded-lg p-1",
      className,
    )}
    {...p}
  />
);
export const TabsTrigger = ({
  className,
  ...p
}: React.ComponentProps<typeof Primitive.Trigger>) => (
  <Primitive.Trigger
    className={cn(
      "focus-visible:ring-ring data-[state=active]:bg-background data-[state=active]:text-foreground inline-flex h-full items-center rounded-md px-3 text-sm font-medium whitespace-nowrap focus-visible:ring-2 focus-visible:outline-none data-[state=active]:shadow-sm",
      className,
    )}
    {...p}
  />
);
export const TabsContent = ({
  className,
  ...p
}: React.ComponentProps<typeof Primitive.Content>) => (
  <Primitive.Content className={cn("outline-none", className)} {...p} />
);
