import { RE2JS, RE2JSException } from "re2js";
import { z } from "zod";
import type { Expectation } from "@/db/schema";
import { LIMITS, idRef, nameField } from "@/lib/core/fields";
import { triggerFields } from "@/lib/triggers/schema";

// What the API takes for dry runs and test cases (loaded by the browser too).

/** Test cases per trigger. */
export const MAX_TEST_CASES = 50;
/** Expectations per test case. */
export const MAX_EXPECTATIONS = 20;
/** How long a dry run's result is kept. */
export const DRY_RUN_KEEP_DAYS = 7;

/** What a dry run may change; anything left out is the trigger's and its bot's own. */
export const overridesSchema = z
  .object({
    model: z.string().trim().min(1, "must not be empty").max(200).optional(),
    backstory: z.string().max(LIMITS.backstory).nullish(),
    prompt: triggerFields.prompt,
    abilities: triggerFields.abilities,
    maxIterations: triggerFields.maxIterations,
    /** Calls no recording answers may run for real when the ability only reads. */
    liveReads: z.boolean({ error: "must be true or false" }).optional(),
  })
  .strict();

export const dryRunSchema = overridesSchema;

const text = z.string().min(1, "must not be empty").max(2000);
const toolName = z.string().trim().min(1, "must not be empty").max(64);

export const expectationSchema: z.ZodType<Expectation> = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("reply_contains"), value: text }),
    z.object({ type: z.literal("reply_not_contains"), value: text }),
    z.object({
      type: z.literal("reply_matches"),
      // matched by RE2 (linear time), so a pattern cannot hold the server
      pattern: text.superRefine((p, ctx) => {
        try {
          RE2JS.compile(p);
        } catch (error) {
          ctx.addIssue({
            code: "custom",
            message: `is not a pattern RE2 accepts: ${error instanceof RE2JSException ? error.message : String(error)}`,
          });
        }
      }),
    }),
    z.object({
      type: z.literal("tool_called"),
      tool: toolName,
      /** Fields the call's input must have, with these values (other fields may be anything). */
      input: z.record(z.string().max(200), z.unknown()).optional(),
    }),
    z.object({ type: z.literal("tool_not_called"), tool: toolName }),
  ],
  {
    error:
      'type must be one of "reply_contains", "reply_not_contains", "reply_matches", "tool_called", "tool_not_called"',
  },
);

const expectations = z
  .array(expectationSchema)
  .min(1, "add at least one expectation")
  .max(MAX_EXPECTATIONS, `at most ${MAX_EXPECTATIONS} expectations`);

export const createTestCaseSchema = z.object({
  eventId: idRef,
  name: nameField.optional(),
  expectations,
});

export const updateTestCaseSchema = z.object({
  name: nameField.optional(),
  expectations: expectations.optional(),
});

export const runTestsSchema = z.object({
  /** Run these cases only; absent: every case of the trigger. */
  caseIds: z.array(idRef).max(MAX_TEST_CASES).optional(),
  overrides: overridesSchema.optional(),
});
