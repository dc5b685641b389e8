/**
 * Risk review: the queue of held and flagged payments with the rules that fired and their evidence
 * (release the hold, refund, or dismiss a flag), and the merchant's rules as editable JSON.
 */

import type { Page } from "@pier/client";
import type { RiskReview, RiskRules } from "@pier/client/types";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { apiGet, apiPost, errorText } from "../../../lib/dashboardApi.ts";
import { useCan } from "../permissions.ts";

const REVIEWS = ["ops", "risk-reviews"];
const RULES = ["ops", "risk-rules"];

export default function RiskSection() {
  const can = useCan();
  return (
    <>
      <ReviewQueue />
      {can("risk:write") && <RulesEditor />}
    </>
  );
}

function ReviewQueue() {
  const client = useQueryClient();
  const can = useCan();
  const [status, setStatus] = useState("open");
  const reviews = useQuery({
    queryKey: [...REVIEWS, status],
    queryFn: () => apiGet<Page<RiskReview>>(`/v1/risk/reviews?limit=100&status=${status}`),
    refetchInterval: 5_000,
  });
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: "release-hold" | "refund" | "dismiss" }) => {
      const note = window.prompt("Note for the record (optional)") ?? undefined;
      return apiPost<RiskReview>(`/v1/risk/reviews/${id}/${action}`, note ? { note } : {});
    },
    onSuccess: () => client.invalidateQueries({ queryKey: REVIEWS }),
  });
  return (
    <section aria-labelledby="reviews-title" className="card">
      <h2 id="reviews-title">Risk review</h2>
      <label>
        Show{" "}
        <select value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="open">Open</option>
          <option value="released">Released</option>
          <option value="refunded">Refunded</option>
          <option value="dismissed">Dismissed</option>
        </select>
      </label>
      {reviews.error && (
        <p className="error" role="alert">
          {errorText(reviews.error)}
        </p>
      )}
      {act.error && (
        <p className="error" role="alert">
          {errorText(act.error)}
        </p>
      )}
      {reviews.data?.data.length === 0 && <p className="muted">Nothing to review.</p>}
      <ul className="rows" data-testid="risk-reviews">
        {reviews.data?.data.map((r) => (
          <li key={r.id}>
            <div>
              <strong>{r.outcome === "hold" ? "Held" : "Flagged"}</strong> {r.order ?? ""}{" "}
              <span className="muted small">
                at {r.stage} · {new Date(r.created * 1000).toLocaleString()}
                {r.payer ? ` · payer ${r.payer}` : ""}
              </span>
              <ul>
                {r.findings.map((f) => (
                  <li key={f.rule}>
                    <code>{f.rule}</code> ({f.action}): {f.message}
                    <div className="muted small">
                      {Object.entries(f.evidence)
                        .map(([k, v]) => `${k}=${String(v)}`)
                        .join(" · ")}
                    </div>
                  </li>
                ))}
              </ul>
              {r.status !== "open" && (
                <div className="muted small">
                  {r.status} by {r.reviewed_by}
                  {r.review_note ? `: ${r.review_note}` : ""}
                </div>
              )}
            </div>
            {r.status === "open" && (
              <div className="actions">
                {r.outcome === "hold" && can("orders:release") && (
                  <button
                    type="button"
                    className="button"
                    disabled={act.isPending}
                    onClick={() => act.mutate({ id: r.id, action: "release-hold" })}
                  >
                    Release hold
                  </button>
                )}
                {r.outcome === "flag" && can("risk:decide") && (
                  <button
                    type="button"
                    className="button"
                    disabled={act.isPending}
                    onClick={() => act.mutate({ id: r.id, action: "dismiss" })}
                  >
                    Dismiss
                  </button>
                )}
                {can("refunds:write") && (
                  <button
                    type="button"
                    className="button danger"
                    disabled={act.isPending}
                    onClick={() => act.mutate({ id: r.id, action: "refund" })}
                  >
                    Refund
                  </button>
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function RulesEditor() {
  const client = useQueryClient();
  const textId = useId();
  const settings = useQuery({ queryKey: RULES, queryFn: () => apiGet<RiskRules>("/v1/risk/rules") });
  const [text, setText] = useState("");
  const [parseError, setParseError] = useState<string>();
  useEffect(() => {
    if (settings.data) setText(JSON.stringify(settings.data.rules, null, 2));
  }, [settings.data]);
  const save = useMutation({
    mutationFn: (rules: unknown) => apiPost<RiskRules>("/v1/risk/rules", { rules }),
    onSuccess: () => client.invalidateQueries({ queryKey: RULES }),
  });
  return (
    <section aria-labelledby="rules-title" className="card">
      <h2 id="rules-title">Risk rules</h2>
      <p className="muted small">
        Each rule: <code>enabled</code>, its thresholds, and <code>action</code> (flag, hold or block). See
        the API reference for every field.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          try {
            const rules = JSON.parse(text) as unknown;
            setParseError(undefined);
            save.mutate(rules);
          } catch {
            setParseError("That is not valid JSON.");
          }
        }}
      >
        <label htmlFor={textId}>Rules (JSON)</label>
        <textarea id={textId} rows={18} value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit" className="button primary" disabled={save.isPending}>
          Save rules
        </button>
      </form>
      {(parseError || save.error) && (
        <p className="error" role="alert">
          {parseError ?? errorText(save.error)}
        </p>
      )}
      {save.isSuccess && <p className="muted">Saved.</p>}
    </section>
  );
}
