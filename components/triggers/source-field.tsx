"use client";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import {
  SOURCE_GUIDES,
  VERIFICATION_TYPES,
  type VerificationType,
} from "@/lib/triggers/verification";

export type SourceValue = {
  type: VerificationType;
  secret: string;
  header: string;
  algorithm: "sha256" | "sha1";
  encoding: "hex" | "base64";
  prefix: string;
};

/** Where events come from: the verification preset, its fields and the steps to connect the sender. */
export function SourceField({
  value,
  onChange,
  secretSet,
  errors,
}: {
  value: SourceValue;
  onChange: (v: SourceValue) => void;
  secretSet: boolean;
  errors: Partial<Record<string, string>>;
}) {
  const guide = SOURCE_GUIDES[value.type];
  const set = <K extends keyof SourceValue>(k: K, v: SourceValue[K]) =>
    onChange({ ...value, [k]: v });
  return (
    <fieldset className="grid gap-3 rounded-md border p-3">
      <legend className="px-1 text-sm font-medium">Source</legend>
      <div className="grid gap-2">
        <Label htmlFor="trigger-source">Sender</Label>
        <Select value={value.type} onValueChange={(t) => set("type", t as VerificationType)}>
          <SelectTrigger id="trigger-source">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {VERIFICATION_TYPES.map((t) => (
              <SelectItem key={t} value={t}>
                {SOURCE_GUIDES[t].label}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <p className="text-muted-foreground text-xs">Checks: {guide.checks}</p>
      </div>
      {value.type === "hmac" && (
        <div className="grid gap-3 sm:grid-cols-2">
          <div className="grid gap-1">
            <Label htmlFor="trigger-source-header">Signature header</Label>
            <Input
              id="trigger-source-header"
              value={value.header}
              onChange={(e) => set("header", e.target.value)}
              placeholder="X-Signature"
              aria-invalid={Boolean(errors["verification.header"])}
            />
            {errors["verification.header"] && (
              <p className="text-destructive text-xs">{errors["verification.header"]}</p>
            )}
          </div>
          <div className="grid gap-1">
            <Label htmlFor="trigger-source-prefix">Prefix (optional)</Label>
            <Input
              id="trigger-source-prefix"
              value={value.prefix}
              onChange={(e) => set("prefix", e.target.value)}
              placeholder="sha256="
            />
          </div>
          <div className="grid gap-1">
            <Label htmlFor="trigger-source-algorithm">Algorithm</Label>
            <Select value={value.algorithm} onValueChange={(a) => set("algorithm", a as "sha256")}>
              <SelectTrigger id="trigger-source-algorithm">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="sha256">HMAC-SHA256</SelectItem>
                <SelectItem value="sha1">HMAC-SHA1</SelectItem>
              </SelectContent>
            </Select>
          </div>
          <div className="grid gap-1">
            <Label htmlFor="trigger-source-encoding">Encoding</Label>
            <Select value={value.encoding} onValueChange={(en) => set("encoding", en as "hex")}>
              <SelectTrigger id="trigger-source-encoding">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="hex">hex</SelectItem>
                <SelectItem value="base64">base64</SelectItem>
              </SelectContent>
            </Select>
          </div>
        </div>
      )}
      {value.type !== "bearer" && (
        <div className="grid gap-1">
          <Label htmlFor="trigger-source-secret">
            Signing secret{guide.providerSecret ? " from the sender" : " (optional)"}
          </Label>
          <Input
            id="trigger-source-secret"
            type="password"
            autoComplete="off"
            value={value.secret}
            onChange={(e) => set("secret", e.target.value)}
            placeholder={
              secretSet
                ? "A signing secret is set; leave empty to keep it"
                : guide.providerSecret
                  ? "Paste the sender's signing secret"
                  : "Empty: the trigger's own secret signs"
            }
            aria-invalid={Boolean(errors["verification.secret"])}
          />
          {errors["verification.secret"] && (
            <p className="text-destructive text-xs">{errors["verification.secret"]}</p>
          )}
        </div>
      )}
      <ol className="text-muted-foreground list-decimal pl-5 text-xs" aria-label="Setup steps">
        {guide.steps.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ol>
    </fieldset>
  );
}
