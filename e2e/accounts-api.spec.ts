import { expect, request, test } from "@playwright/test";
import { baseURL, signedInContext, uniqueEmail, userWithToken } from "./fixtures/accounts";

test.describe("accounts and API tokens over HTTP", () => {
  test("sign-up validates, refuses a taken email and weak passwords", async () => {
    const ctx = await request.newContext({ baseURL: baseURL() });
    const email = uniqueEmail("signup");
    const ok = await ctx.post("/api/auth/signup", {
      data: { email, password: "a-good-passphrase" },
    });
    expect(ok.status()).toBe(201);
    expect(await ok.json()).toMatchObject({ email });

    const taken = await ctx.post("/api/auth/signup", {
      data: { email, password: "another-good-one" },
    });
    expect(taken.status()).toBe(409);
    expect(await taken.json()).toMatchObject({ code: "CONFLICT" });

    const weak = await ctx.post("/api/auth/signup", {
      data: { email: uniqueEmail(), password: "short" },
    });
    expect(weak.status()).toBe(422);
    const body = await weak.json();
    expect(body.code).toBe("VALIDATION_ERROR");
    expect(body.issues[0].path).toBe("password");

    const common = await ctx.post("/api/auth/signup", {
      data: { email: uniqueEmail(), password: "password123" },
    });
    expect(common.status()).toBe(422);

    const malformed = await ctx.post("/api/auth/signup", {
      headers: { "content-type": "application/json" },
      data: Buffer.from("{not json"),
    });
    expect(malformed.status()).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: "BAD_REQUEST" });
    await ctx.dispose();
  });

  test("a token authenticates; revoked, wrong and missing credentials get 401 JSON, never a redirect", async () => {
    const { api, token } = await userWithToken();
    const list = await api.get("/api/v1/token/list");
    expect(list.status()).toBe(200);
    const { items } = await list.json();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ name: "tests", lastFour: token.slice(-4) });
    expect(JSON.stringify(items)).not.toContain(token);

    const anon = await request.newContext({ baseURL: baseURL() });
    const none = await anon.get("/api/v1/token/list", { maxRedirects: 0 });
    expect(none.status()).toBe(401);
    expect(await none.json()).toMatchObject({ code: "UNAUTHORIZED", message: expect.any(String) });

    const wrong = await anon.get("/api/v1/token/list", {
      headers: { authorization: "Bearer tdk_wrong" },
    });
    expect(wrong.status()).toBe(401);

    const revoke = await api.post(`/api/v1/token/${items[0].id}/delete`);
    expect(revoke.status()).toBe(200);
    expect(await revoke.json()).toEqual({ id: items[0].id });
    const after = await api.get("/api/v1/token/list");
    expect(after.status()).toBe(401);
    expect(await after.json()).toMatchObject({ code: "UNAUTHORIZED" });
    await anon.dispose();
  });

  test("the /v1 alias, unknown routes, validation and bodies", async () => {
    const { api } = await userWithToken();
    const alias = await api.get("/v1/token/list");
    expect(alias.status()).toBe(200);

    const unknown = await api.get("/api/v1/no/such/route");
    expect(unknown.status()).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: "NOT_FOUND" });

    const invalid = await api.post("/api/v1/token/create", { data: { name: "" } });
    expect(invalid.status()).toBe(422);
    expect((await invalid.json()).issues).toEqual([{ path: "name", message: expect.any(String) }]);

    const malformed = await api.post("/api/v1/token/create", {
      headers: { "content-type": "application/json" },
      data: Buffer.from('{"name":'),
    });
    expect(malformed.status()).toBe(400);

    const missing = await api.post("/api/v1/token/token_01ARZ3NDEKTSV4RRFFQ69G5FAV/delete");
    expect(missing.status()).toBe(404);
  });

  test("cookie-authenticated writes must come from our origin", async () => {
    const { ctx } = await signedInContext();
    const cross = await ctx.post("/api/v1/token/create", {
      data: { name: "x" },
      headers: { origin: "https://evil.example" },
    });
    expect(cross.status()).toBe(403);
    expect(await cross.json()).toMatchObject({ code: "FORBIDDEN" });
    const noOrigin = await ctx.post("/api/v1/token/create", { data: { name: "x" } });
    expect(noOrigin.status()).toBe(403);
    const same = await ctx.post("/api/v1/token/create", {
      data: { name: "x" },
      headers: { origin: baseURL() },
    });
    expect(same.status()).toBe(200);
    const read = await ctx.get("/api/v1/token/list");
    expect(read.status()).toBe(200);
    await ctx.dispose();
  });
});
