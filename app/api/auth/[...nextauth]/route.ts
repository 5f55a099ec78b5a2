import { handlers } from "@/lib/auth";
import { authPost } from "@/lib/auth/http";

// GET/POST /api/auth/* - Auth.js (sign-in, sign-out, session, CSRF); throttled sign-ins answer 429
export const GET = handlers.GET;
export const POST = authPost;
