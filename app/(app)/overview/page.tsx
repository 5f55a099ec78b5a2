import type { Metadata } from "next";
import { AccountOverview } from "@/components/overview/account-overview";

export const metadata: Metadata = { title: "Overview" };

export default function OverviewPage() {
  return <AccountOverview />;
}
