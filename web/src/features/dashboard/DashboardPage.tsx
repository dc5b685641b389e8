/** The merchant dashboard: a placeholder until it is built (its own chunk; checkout never loads it). */
export default function DashboardPage() {
  return (
    <main className="page">
      <h1>Merchant dashboard</h1>
      <p>Coming soon. Use the API to list orders and refunds in the meantime.</p>
    </main>
  );
}
