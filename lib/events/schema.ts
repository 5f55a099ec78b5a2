import { z } from "zod";
import { listQuerySchema } from "@/lib/api/pagination";

export const listEventsQuerySchema = listQuerySchema.extend({
  status: z.enum(["queued", "processing", "completed", "failed"]).optional(),
});
