import { apiRoute } from "@/lib/http/route";

// GET /api/health - 200 while the process is alive (no database involved; see /api/ready)
export const GET = apiRoute({ auth: false }, () => ({ status: "ok" }));
