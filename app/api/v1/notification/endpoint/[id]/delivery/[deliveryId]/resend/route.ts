import { apiRoute, methodNotAllowed } from "@/lib/http/route";
import { resendDelivery } from "@/lib/outbox/endpoints";

// POST /api/v1/notification/endpoint/{id}/delivery/{deliveryId}/resend - send it again, as a new delivery
export const POST = apiRoute({}, ({ params, owner }) =>
  resendDelivery({ ownerId: owner.id, id: params.id, deliveryId: params.deliveryId }),
);

export {
  methodNotAllowed as GET,
  methodNotAllowed as PUT,
  methodNotAllowed as PATCH,
  methodNotAllowed as DELETE,
};
