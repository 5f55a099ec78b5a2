import type { Metadata } from "next";
import { SkillsetsView } from "@/components/skillsets/skillsets-view";

export const metadata: Metadata = { title: "Skillsets" };

export default function SkillsetsPage() {
  return <SkillsetsView />;
}
