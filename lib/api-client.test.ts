import { describe, expect, it } from "vitest";
import { ApiClientError, formErrors } from "./api-client";

const invalid = (issues: { path: string; message: string }[]) =>
  new ApiClientError("Invalid request body", "VALIDATION_ERROR", 422, issues);

describe("formErrors: a failed save as messages for a form", () => {
  it("puts each issue at the field the form shows, renamed from the server's path", () => {
    const error = invalid([
      { path: "config.url", message: "must be an https URL" },
      { path: "headers.X Bad", message: "not a header name" },
      { path: "name", message: "too long" },
    ]);
    expect(
      formErrors(error, ["name", "url", "headers"], (p) =>
        p.replace(/^config\./, "").replace(/^headers\..*/, "headers"),
      ),
    ).toEqual({ url: "must be an https URL", headers: "not a header name", name: "too long" });
  });

  it("shows an issue on a field the form does not render at form level, with its path", () => {
    const error = invalid([
      { path: "name", message: "too long" },
      { path: "skillsetId", message: "no such skillset" },
    ]);
    expect(formErrors(error, ["name"])).toEqual({
      name: "too long",
      form: "Invalid request body (skillsetId: no such skillset)",
    });
  });

  it("shows any other failure (no issues, a network error) at form level", () => {
    expect(formErrors(new ApiClientError("Bot is in use", "CONFLICT", 409), ["name"])).toEqual({
      form: "Bot is in use",
    });
    expect(formErrors(new TypeError("Failed to fetch"), ["name"])).toEqual({
      form: "Failed to fetch",
    });
  });
});
