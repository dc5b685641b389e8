/**
 * The sandbox wallet's approval page: the customer picks the look of the wallet they would use (PayPal,
 * Apple Pay or Google Pay) and approves or declines. Plain HTML forms, no script, so browser tests can
 * drive it with clicks and anything else with a form POST. In the customer's language (locale.ts), the
 * amount formatted for it from the exact decimal string.
 */
import { formatFiat } from "@pier/money/display";
import type { WalletKind } from "../provider.ts";
import { directionOf, type Locale, type MessageKey, message } from "./locale.ts";

const LOOKS: Record<WalletKind, { title: string; css: string; button: string }> = {
  paypal: {
    title: "PayPal",
    css: "background:#fff;color:#003087;border-top:6px solid #003087",
    button: "background:#ffc439;color:#003087;border-radius:24px",
  },
  apple_pay: {
    title: "Apple Pay",
    css: "background:#f5f5f7;color:#1d1d1f;border-top:6px solid #000",
    button: "background:#000;color:#fff;border-radius:8px",
  },
  google_pay: {
    title: "Google Pay",
    css: "background:#fff;color:#3c4043;border-top:6px solid #4285f4",
    button: "background:#000;color:#fff;border-radius:4px",
  },
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function approvalPage(
  session: {
    id: string;
    amount: { value: string; currency: string };
    description: string | null;
    status: string;
    wallet: WalletKind | null;
  },
  locale: Locale,
): string {
  const t = (key: MessageKey, values?: Record<string, string>) => message(locale, key, values);
  const amount = `<strong data-testid="sandbox-amount">${escapeHtml(formatFiat(session.amount.value, session.amount.currency, locale))}</strong>`;
  const pay = session.description
    ? t("pay_for", { amount, description: escapeHtml(session.description) })
    : t("pay", { amount });
  const head = `<!doctype html><html lang="${locale}" dir="${directionOf(locale)}"><head><meta charset="utf-8"><meta name="viewport"
    content="width=device-width,initial-scale=1"><title>${escapeHtml(t("title"))}</title><style>
    body{font-family:system-ui,sans-serif;margin:0;display:flex;justify-content:center}
    main{width:360px;margin-top:48px;padding:24px;box-shadow:0 2px 12px #0002}
    button{width:100%;padding:12px;margin-top:12px;border:0;font-size:16px;cursor:pointer}
    .decline{background:#eee;color:#333}</style></head><body>`;
  if (session.status !== "pending_approval") {
    const key = `status_${session.status}` as MessageKey;
    const status = key in statusKeys ? t(key) : session.status;
    return `${head}<main data-testid="sandbox-final"><h1>${escapeHtml(t("title"))}</h1>
      <p>${t("final", { status: `<strong data-testid="sandbox-status" data-status="${escapeHtml(session.status)}">${escapeHtml(status)}</strong>` })}</p></main></body></html>`;
  }
  if (!session.wallet) {
    const choices = (Object.keys(LOOKS) as WalletKind[])
      .map(
        (
          w,
        ) => `<a href="?wallet=${w}&amp;lang=${locale}" data-testid="choose-${w}"><button type="button" style="${LOOKS[w].button}">
          ${LOOKS[w].title}</button></a>`,
      )
      .join("");
    return `${head}<main><h1>${escapeHtml(t("title"))}</h1><p>${pay}</p><p>${escapeHtml(t("choose_wallet"))}</p>${choices}</main></body></html>`;
  }
  const look = LOOKS[session.wallet];
  const form = (action: "approve" | "decline", label: string, style: string) =>
    `<form method="post" action="/pay/${escapeHtml(session.id)}/${action}"><input type="hidden" name="wallet"
      value="${session.wallet}"><button type="submit" data-testid="sandbox-${action}" class="${action}"
      style="${style}">${escapeHtml(label)}</button></form>`;
  return `${head}<main style="${look.css}" data-wallet="${session.wallet}"><h1>${look.title}</h1>
    <p>${escapeHtml(t("sandbox_notice"))}</p><p>${pay}</p>
    ${form("approve", t("pay_with", { wallet: look.title }), look.button)}${form("decline", t("cancel"), "")}</main></body></html>`;
}

const statusKeys: Partial<Record<MessageKey, true>> = {
  status_pending_approval: true,
  status_approved: true,
  status_declined: true,
  status_captured: true,
  status_reversed: true,
  status_refunded: true,
  status_expired: true,
};
