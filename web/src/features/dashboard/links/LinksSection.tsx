/**
 * Payment links: create (fixed or customer-chosen amount with limits), list with analytics, deactivate,
 * and a printable QR code of the link's URL.
 */

import type { Page } from "@pier/client";
import type { PaymentLink } from "@pier/client/types";
import { unitsToDecimal } from "@pier/money/units";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import QRCode from "qrcode";
import { useEffect, useId, useState } from "react";
import { parseAmountInput } from "../../../lib/amountInput.ts";
import { apiGet, apiPost, errorText } from "../../../lib/dashboardApi.ts";
import { useCan } from "../permissions.ts";

const LINKS = ["ops", "links"];
/** The settlement token's decimals (tUSDC and USDC: 6). */
const DECIMALS = 6;

export default function LinksSection() {
  const client = useQueryClient();
  const writes = useCan()("orders:write");
  const ids = { type: useId(), amount: useId(), min: useId(), max: useId(), description: useId() };
  const [type, setType] = useState<"fixed" | "customer_chosen">("fixed");
  const [amount, setAmount] = useState("");
  const [min, setMin] = useState("1");
  const [max, setMax] = useState("");
  const [description, setDescription] = useState("");
  const [formError, setFormError] = useState<string>();
  const [qrFor, setQrFor] = useState<PaymentLink>();
  const links = useQuery({
    queryKey: LINKS,
    queryFn: () => apiGet<Page<PaymentLink>>("/v1/links?limit=100"),
    refetchInterval: 10_000,
  });
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => apiPost<PaymentLink>("/v1/links", body),
    onSuccess: () => client.invalidateQueries({ queryKey: LINKS }),
  });
  const deactivate = useMutation({
    mutationFn: (id: string) => apiPost<PaymentLink>(`/v1/links/${id}/deactivate`),
    onSuccess: () => client.invalidateQueries({ queryKey: LINKS }),
  });

  function submit() {
    const body: Record<string, unknown> = { amount_type: type };
    if (description) body.description = description;
    const fields: [key: string, text: string, label: string][] =
      type === "fixed"
        ? [["amount", amount, ""]]
        : [
            ["min_amount", min, "Minimum: "],
            ...(max
              ? [["max_amount", max, "Maximum (or leave it empty): "] as [string, string, string]]
              : []),
          ];
    for (const [key, text, label] of fields) {
      const parsed = parseAmountInput(text, DECIMALS, { example: "25 or 9.99" });
      if ("error" in parsed) return setFormError(`${label}${parsed.error}`);
      body[key] = parsed.units.toString();
    }
    setFormError(undefined);
    create.mutate(body);
  }

  return (
    <section aria-labelledby="links-title" className="card">
      <h2 id="links-title">Payment links</h2>
      {writes && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <label htmlFor={ids.type}>Amount</label>
          <select id={ids.type} value={type} onChange={(e) => setType(e.target.value as typeof type)}>
            <option value="fixed">Fixed</option>
            <option value="customer_chosen">Chosen by the customer</option>
          </select>
          {type === "fixed" ? (
            <>
              <label htmlFor={ids.amount}>Amount (tokens)</label>
              <input
                id={ids.amount}
                inputMode="decimal"
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
              />
            </>
          ) : (
            <>
              <label htmlFor={ids.min}>Minimum</label>
              <input id={ids.min} inputMode="decimal" value={min} onChange={(e) => setMin(e.target.value)} />
              <label htmlFor={ids.max}>Maximum</label>
              <input id={ids.max} inputMode="decimal" value={max} onChange={(e) => setMax(e.target.value)} />
            </>
          )}
          <label htmlFor={ids.description}>Description</label>
          <input id={ids.description} value={description} onChange={(e) => setDescription(e.target.value)} />
          <button type="submit" className="button primary" disabled={create.isPending}>
            Create link
          </button>
        </form>
      )}
      {(formError || create.error || deactivate.error || links.error) && (
        <p className="error" role="alert">
          {formError ?? errorText(create.error ?? deactivate.error ?? links.error)}
        </p>
      )}
      {qrFor && <LinkQr link={qrFor} onClose={() => setQrFor(undefined)} />}
      <ul className="rows" data-testid="payment-links">
        {links.data?.data.map((l) => (
          <li key={l.id}>
            <div>
              <a href={l.url}>{l.description || l.id}</a>{" "}
              <span className="muted small">
                {l.amount_type === "fixed"
                  ? unitsToDecimal(l.amount!, DECIMALS)
                  : `${unitsToDecimal(l.min_amount!, DECIMALS)} – ${l.max_amount ? unitsToDecimal(l.max_amount, DECIMALS) : "any"}`}{" "}
                · {l.analytics.orders} orders · {l.analytics.paid} paid ·{" "}
                {unitsToDecimal(l.analytics.volume, DECIMALS)} paid in{l.active ? "" : " · inactive"}
              </span>
            </div>
            <div className="actions">
              <button type="button" className="button" onClick={() => setQrFor(l)}>
                QR code
              </button>
              {l.active && writes && (
                <button
                  type="button"
                  className="button"
                  disabled={deactivate.isPending}
                  onClick={() => deactivate.mutate(l.id)}
                >
                  Deactivate
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function LinkQr({ link, onClose }: { link: PaymentLink; onClose: () => void }) {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    let live = true;
    void QRCode.toDataURL(link.url, { margin: 2, width: 320 }).then((url) => live && setSrc(url));
    return () => {
      live = false;
    };
  }, [link.url]);
  return (
    <figure className="card" data-testid="link-qr">
      {src && <img src={src} alt={`QR code for ${link.url}`} width={320} height={320} />}
      <figcaption>
        {link.description ?? link.id} · <code>{link.url}</code>
      </figcaption>
      <div className="actions">
        <button type="button" className="button" onClick={() => window.print()}>
          Print
        </button>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </figure>
  );
}
