import { ApiError } from "@/lib/api/errors";
import { apiRoute } from "@/lib/api/route";
import { signupSchema } from "@/lib/auth/password";
import { createUser } from "@/lib/auth/users";
import { env } from "@/lib/env";

// POST /api/auth/signup - create an account with email and password
export const POST = apiRoute({ auth: false, body: signupSchema }, async ({ body }) => {
  if (!env().ALLOW_SIGNUP)
    throw new ApiError("FORBIDDEN", "Sign-up is closed on this server (ALLOW_SIGNUP=false)");
  const user = await createUser(body);
  return Response.json({ id: user.id, email: user.email, name: user.name }, { status: 201 });
});
