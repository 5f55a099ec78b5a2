"use client";
import { Tooltip as Primitive } from "radix-ui";
import * as React from "react";
import { cn } from "@/lib/client/utils";

export const TooltipProvider = Primitive.Provider;
export const Tooltip = Primitive.Root;
export const TooltipTrigger = Primitive.Trigger;

export function TooltipContent({
  className,
  sideOffset = 4,
  ...props
}: React.ComponentProps<typeof Primitive.Content>) {
  return (
    <Primitive.Portal>
      <Primitive.Content
        sideOffset={sideOffset}
        className={cn(
          "bg-primary text-primary-foreground z-50 rounded-md px-3 py-1.5 text-xs",
          className,
        )}
        {...props}
      />
    </Primitive.Portal>
  );
}
