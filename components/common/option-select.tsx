"use client";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";

/**
 * A select over a list of choices, optionally with one extra first choice ("All bots",
 * "No blueprint"); label it with a <Label htmlFor={id}>.
 */
export function OptionSelect({
  id,
  value,
  onChange,
  first,
  options,
  className,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  first?: { value: string; label: string };
  options: { value: string; label: string }[] | undefined;
  className?: string;
}) {
  return (
    <Select value={value} onValueChange={onChange}>
      <SelectTrigger id={id} className={className}>
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {first && <SelectItem value={first.value}>{first.label}</SelectItem>}
        {options?.map((o) => (
          <SelectItem key={o.value} value={o.value}>
            {o.label}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
