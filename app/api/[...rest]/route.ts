import { ApiError } from "@/lib/core/errors";
import { apiRoute } from "@/lib/http/route";

// Any other path under /api - a JSON 404 rather than an HTML page
const notFound = apiRoute({ auth: false }, ({ url }) => {
  throw new ApiError("NOT_FOUND", `No route ${url.pathname}`);
});

export {
  notFound as GET,
  notFound as POST,
  notFound as PUT,
  notFound as PATCH,
  notFound as DELETE,
};
