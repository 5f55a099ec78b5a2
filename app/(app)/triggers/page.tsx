import type { Metadata } from "next";
import { TriggersView } from "@/components/triggers/triggers-view";

export const metadata: Metadata = { title: "Triggers" };

export default function TriggersPage() {
  return <TriggersView />;
}
