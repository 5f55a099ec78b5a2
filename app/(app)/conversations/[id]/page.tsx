import type { Metadata } from "next";
import { ConversationTranscript } from "@/components/conversations/conversation-transcript";

export const metadata: Metadata = { title: "Conversation" };

export default async function ConversationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ConversationTranscript id={id} />;
}
