import type { Metadata } from "next";
import { EventInspector } from "@/components/triggers/event-inspector";

export const metadata: Metadata = { title: "Event" };

export default async function EventPage({
  params,
}: {
  params: Promise<{ id: string; eventId: string }>;
}) {
  const { id, eventId } = await params;
  return <EventInspector triggerId={id} eventId={eventId} />;
}
