import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { RE2JS, RE2JSException } from "re2js";
import type { FieldIssue } from "@/lib/core/errors";

// A tool's parameters for the model: a JSON Schema object. Derived from the
// ability's templates ({{input.id}} -> a required string `id`), or written by
// the user; either way a call is checked against it before anything is sent.

export type JsonSchema = Record<string, unknown>;

/**
 * `pattern` and `patternProperties` run on the model's input, which anyone who
 * can reach the bot can steer: a backtracking engine (JavaScript's RegExp) can
 * be held for minutes by one crafted string. RE2 (re2js) matches in linear
 * time; a pattern it cannot run (backreferences, lookarounds) is refused when
 * the schema is saved.
 */
const linearRegExp = Object.assign(
  (pattern: string, flags: string) => {
    const re = RE2JS.compile(
      RE2JS.translateRegExp(pattern),
      flags.includes("i") ? RE2JS.CASE_INSENSITIVE : 0,
    );
    return { test: (s: string) => re.test(s) };
  },
  { code: 'require("re2js").RE2JS' },
);

// Formats (date-time, email, …) are descriptions for the model here, not checks.
const newAjv = () =>
  new Ajv({
    allErrors: true,
    strict: false,
    validateFormats: false,
    code: { regExp: linearRegExp },
  });
let ajv = newAjv();
const compiled = new Map<string, ValidateFunction>();

/** Compiled without its $id: the same schema compiled twice must not collide in Ajv's registry. */
function compile(schema: JsonSchema): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    if (compiled.size >= 1000) {
      compiled.clear();
      ajv = newAjv(); // Ajv keeps what it compiled: start afresh with the cache
    }
    const rest = { ...schema };
    delete rest.$id;
    validate = ajv.compile(rest);
    compiled.set(key, validate);
  }
  return validate;
}
const INPUT = /\{\{\s*input\.([\w-]+)[\w.-]*\s*\}\}/g;

/** Every `{{input.x}}` of the templates (URL, body, header values) as a required string. */
export function deriveInputSchema(config: Record<string, unknown>): JsonSchema {
  const texts = [config.url, config.body, ...Object.values((config.headers as object) ?? {})];
  const names = new Set<string>();
  for (const t of texts)
    if (typeof t === "string") for (const [, name] of t.matchAll(INPUT)) names.add(name);
  const properties = Object.fromEntries(
    [...names].map((n) => [n, { type: "string", description: `Fills {{input.${n}}}` }]),
  );
  // no templates (a webhook sends the whole input): any object the model finds useful
  if (!names.size) return { type: "object", additionalProperties: true };
  return { type: "object", properties, required: [...names] };
}

export const effectiveInputSchema = (a: {
  inputSchema: JsonSchema | null;
  config: Record<string, unknown>;
}): JsonSchema => a.inputSchema ?? deriveInputSchema(a.config);

const pathOf = (e: ErrorObject, base: string) =>
  [base, ...e.instancePath.split("/").filter(Boolean)].join(".");

/** Mistakes in a user-written input schema, each with the path of the mistake (422). */
export function inputSchemaIssues(
  schema: unknown,
  base = "inputSchema",
  maxKiB = 16,
): FieldIssue[] {
  if (!schema || typeof schema !== "object" || Array.isArray(schema))
    return [{ path: base, message: "must be a JSON Schema object" }];
  if ((schema as JsonSchema).type !== "object")
    return [{ path: `${base}.type`, message: 'must be "object": a tool takes named inputs' }];
  if (JSON.stringify(schema).length > maxKiB * 1024)
    return [{ path: base, message: `must be at most ${maxKiB} KiB as JSON` }];
  if (!ajv.validateSchema(schema)) {
    return (ajv.errors ?? []).map((e) => ({
      path: pathOf(e, base),
      message: e.message ?? "is invalid",
    }));
  }
  try {
    compile(schema as JsonSchema);
  } catch (error) {
    if (error instanceof RE2JSException)
      return [
        {
          path: base,
          message: `has a pattern this server cannot run (${error.message}): patterns run in linear time, without backreferences or lookarounds`,
        },
      ];
    return [
      { path: base, message: error instanceof Error ? error.message : "is not a usable schema" },
    ];
  }
  return [];
}

/** Why `input` does not fit `schema`, in words a model can act on; null when it fits. */
export function inputProblem(schema: JsonSchema, input: unknown): string | null {
  const validate = compile(schema);
  if (validate(input ?? {})) return null;
  return (validate.errors ?? [])
    .map((e) =>
      e.keyword === "required"
        ? `missing required input "${(e.params as { missingProperty: string }).missingProperty}"`
        : `input${e.instancePath.replaceAll("/", ".")} ${e.message}`,
    )
    .join("; ");
}

/**
 * For the MCP SDK's client, which checks a tool's structured result against the tool's output
 * schema: the same linear-time engine, since that schema comes from the server. A schema it cannot
 * compile checks nothing (the result still reaches the model as data).
 */
export const linearJsonSchemaValidator = {
  getValidator<T>(schema: unknown) {
    let validate: ValidateFunction | null = null;
    try {
      validate = compile(schema as JsonSchema);
    } catch {
      validate = null;
    }
    return (input: unknown) =>
      !validate || validate(input)
        ? { valid: true as const, data: input as T, errorMessage: undefined }
        : {
            valid: false as const,
            data: undefined,
            errorMessage: ajv.errorsText(validate.errors),
          };
  },
};
