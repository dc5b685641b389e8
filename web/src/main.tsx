/**
 * Entry point: picks the page from the URL and loads only its code. The checkout (/pay/:orderId), a
 * subscription's page (/s/:subscriptionId) and the dashboard (/dashboard) are separate chunks, so a
 * customer never downloads dashboard code. The customer pages (checkout, payment link, subscription) speak
 * the language negotiated by lib/i18n.ts (its catalogue is loaded before the first render); the dashboard
 * is English.
 */
import { lazy, StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { useTranslation } from "react-i18next";
import { prefetchCheckout } from "./lib/checkoutApi.ts";
import { initI18n } from "./lib/i18n.ts";
import { LanguagePicker } from "./lib/LanguagePicker.tsx";
import { matchRoute } from "./lib/router.ts";
import "./styles.css";

const CheckoutPage = lazy(() => import("./features/checkout/CheckoutPage.tsx"));
const DashboardPage = lazy(() => import("./features/dashboard/DashboardPage.tsx"));
const LinkPage = lazy(() => import("./features/links/LinkPage.tsx"));
const SubscribePage = lazy(() => import("./features/subscribe/SubscribePage.tsx"));

const route = matchRoute(window.location.pathname);
if (route.name === "checkout") prefetchCheckout(route.orderId);

function App() {
  const { t } = useTranslation();
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
          <header className="page-header">
            <LanguagePicker />
          </header>
          <h1>Pier</h1>
          <p>{t("app.homeText")}</p>
        </main>
      );
    default:
      return (
        <main className="page">
          <header className="page-header">
            <LanguagePicker />
          </header>
          <h1>{t("app.notFoundTitle")}</h1>
          <p>{t("app.notFoundText")}</p>
        </main>
      );
  }
}

// The dashboard is not translated: English (and never right to left).
const i18n = await initI18n(route.name === "dashboard" ? "en" : undefined);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Suspense
      fallback={
        <main className="page" aria-busy="true">
          <p className="muted">{i18n.t("app.loading")}</p>
        </main>
      }
    >
      <App />
    </Suspense>
  </StrictMode>,
);
