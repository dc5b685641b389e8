/** Orders: the filtered, live-updating table, or one order's detail when the path names it. */
import type { SectionProps } from "../sections.ts";
import { OrderDetail } from "./OrderDetail.tsx";
import { OrdersTable } from "./OrdersTable.tsx";

export default function OrdersSection({ subpath, navigate }: SectionProps) {
  if (subpath) return <OrderDetail orderId={subpath} onBack={() => navigate("")} />;
  return <OrdersTable onOpen={(id) => navigate(id)} />;
}
