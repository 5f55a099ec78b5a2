import type { Metadata } from "next";
import { TriggerDetail } from "@/components/triggers/trigger-detail";

export const metadata: Metadata = { title: "Trigger" };

export default async function TriggerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <TriggerDetail id={id} />;
}
