import { describe, expect, it } from "vitest";
import { ApiClientError, placeIssues, serverIssues } from "./api-client";

const invalid = (issues: { path: string; message: string }[]) =>
  new ApiClientError("Invalid request body", "VALIDATION_ERROR", 422, issues);

describe("placeIssues: a failed check as messages for a form", () => {
  it("puts each issue at the field the form shows, renamed from the server's path", () => {
    const { issues } = serverIssues(
      invalid([
        { path: "config.url", message: "must be an https URL" },
        { path: "config.headers.X Bad", message: "not a header name" },
        { path: "name", message: "too long" },
      ]),
    );
    expect(
      placeIssues(issues, ["name", "url", "headers"], (p) => p.replace(/^config\./, "")),
    ).toEqual({ url: "must be an https URL", headers: "not a header name", name: "too long" });
  });

  it("shows an issue on a field the form does not render at form level, with its path", () => {
    const issues = [
      { path: "name", message: "too long" },
      { path: "skillsetId", message: "no such skillset" },
      { path: "", message: "Could not reach the server" },
    ];
    expect(placeIssues(issues, ["name"])).toEqual({
      name: "too long",
      form: "skillsetId: no such skillset; Could not reach the server",
    });
  });

  it("keeps the first message of a field and does not match a field by prefix alone", () => {
    const issues = [
      { path: "name", message: "must not be empty" },
      { path: "name", message: "too long" },
      { path: "nameplate", message: "unknown" },
    ];
    expect(placeIssues(issues, ["name"])).toEqual({
      name: "must not be empty",
      form: "nameplate: unknown",
    });
  });
});

describe("serverIssues: what a failed save names", () => {
  it("gives a 422's issues, and any other failure (a conflict, a network error) as one message", () => {
    expect(serverIssues(invalid([{ path: "name", message: "too long" }]))).toEqual({
      issues: [{ path: "name", message: "too long" }],
    });
    expect(serverIssues(new ApiClientError("Bot is in use", "CONFLICT", 409))).toEqual({
      issues: [],
      message: "Bot is in use",
    });
    expect(serverIssues(new TypeError("Failed to fetch"))).toEqual({
      issues: [],
      message: "Failed to fetch",
    });
  });
});
