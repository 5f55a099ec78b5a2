export declare const MAX_EXPRESSION_LENGTH: number;
export declare const MAX_BIND_DEPTH: number;
export declare const BUILD_LIMITS: {
  listElements: number;
  mapEntries: number;
  stringChars: number;
};

export type ExpressionProblem = { message: string; line: number; column: number };
export type ExpressionType = "bool" | "key";

export declare function compileExpression(
  src: string,
  expect?: ExpressionType,
): { ok: true; run: unknown } | { ok: false; problem: ExpressionProblem };

export type Evaluation =
  | { ok: true; value: unknown }
  | { ok: false; code: "invalid" | "error" | "size" | "time"; message: string };

export declare function evaluateExpression(
  src: string,
  activation: Record<string, unknown>,
  budgetMs: number,
  expect?: ExpressionType,
): Evaluation;
