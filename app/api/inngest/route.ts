import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";

// GET/POST/PUT /api/inngest - Inngest registers (PUT) and calls (POST) the functions here
export const { GET, POST, PUT } = serve({ client: inngest, functions });
