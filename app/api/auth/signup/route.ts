import { clientAddress } from "@/lib/core/client-address";
import { apiRoute } from "@/lib/http/route";
import { signupSchema } from "@/lib/auth/schema";
import { signUp } from "@/lib/auth/users";

// POST /api/auth/signup - create an account with email and password (throttled per address and email)
export const POST = apiRoute({ auth: false, body: signupSchema }, async ({ req, body }) => {
  const user = await signUp(body, clientAddress(req.headers));
  return Response.json({ id: user.id, email: user.email, name: user.name }, { status: 201 });
});
