/**
 * Entry point: picks the page from the URL and loads only its code. The checkout (/pay/:orderId), a
 * subscription's page (/s/:subscriptionId) and the dashboard (/dashboard) are separate chunks, so a
 * customer never downloads dashboard code.
 */
import { lazy, StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { prefetchCheckout } from "./lib/checkoutApi.ts";
import { matchRoute } from "./lib/router.ts";
import "./styles.css";

const CheckoutPage = lazy(() => import("./features/checkout/CheckoutPage.tsx"));
const DashboardPage = lazy(() => import("./features/dashboard/DashboardPage.tsx"));
const LinkPage = lazy(() => import("./features/links/LinkPage.tsx"));
const SubscribePage = lazy(() => import("./features/subscribe/SubscribePage.tsx"));

const route = matchRoute(window.location.pathname);
if (route.name === "checkout") prefetchCheckout(route.orderId);

function App() {
  switch (route.name) {
    case "checkout":
      return <CheckoutPage orderId={route.orderId} />;
    case "dashboard":
      return <DashboardPage />;
    case "link":
      return <LinkPage linkId={route.linkId} />;
    case "subscribe":
      return <SubscribePage subscriptionId={route.subscriptionId} />;
    case "home":
      return (
        <main className="page">
          <h1>Pier</h1>
          <p>Open the payment link the merchant gave you to pay an order.</p>
        </main>
      );
    default:
      return (
        <main className="page">
          <h1>Page not found</h1>
          <p>Check the address, or open the payment link the merchant gave you.</p>
        </main>
      );
  }
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Suspense
      fallback={
        <main className="page" aria-busy="true">
          <p className="muted">Loading…</p>
        </main>
      }
    >
      <App />
    </Suspense>
  </StrictMode>,
);
