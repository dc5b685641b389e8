/**
 * The customer's payment attempt as React state: the chosen method, each step's progress, the error of
 * the step that failed (in words) and `retry`. A wallet that cannot sign typed data falls back to
 * approve-then-pay on its own; a rejected prompt waits for the customer to press "Try again". The last
 * submitted payment transaction is remembered for this tab (sessionStorage), so a reload while it is
 * pending does not invite a second payment.
 */

import { termsDigest } from "@pier/contracts/terms";
import { paymentTermsFromJson } from "@pier/contracts/termsJson";
import { NotEcdsaSignatureError } from "@pier/contracts/typedData";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Address, Hex } from "viem";
import { getBytecode, waitForTransactionReceipt } from "wagmi/actions";
import type { Checkout } from "../../lib/checkoutApi.ts";
import { isPaid } from "../../lib/checkoutApi.ts";
import { type DescribedError, describeError } from "../../lib/describeError.ts";
import type { PierConfig } from "../../wagmi.ts";
import {
  isContractAccount,
  OrderAlreadyPaidError,
  type PayCache,
  payOrder,
  RelayRefusedError,
  relaysFor,
  type StepId,
  type StepState,
  type StepUpdate,
  stepsOf,
  TransactionRevertedError,
} from "./payOrder.ts";
import {
  type CheckoutPayMethod,
  chooseMethod,
  detectTokenSupport,
  type TokenSupport,
} from "./tokenSupport.ts";

export interface StepView {
  id: StepId;
  state: StepState;
  detail?: string;
  txHash?: Hex;
}

export interface PaySession {
  method: CheckoutPayMethod;
  steps: StepView[];
  running: boolean;
  error?: DescribedError & { step: StepId };
  /** Why the method changed during the attempt (e.g. the wallet cannot sign typed data). */
  notice?: string;
  paymentTx?: Hex;
}

const pendingKey = (orderId: string) => `pier:payment-tx:${orderId}`;

const TYPED_DATA_NOTICE =
  "Your wallet cannot sign this kind of message, so we are paying with an approval and a payment transaction instead.";
const SMART_ACCOUNT_NOTICE =
  "Your wallet is a smart-contract account, whose signatures this payment cannot use yet, so we are paying with an approval and a payment transaction instead.";
const RELAYED_NOTICE =
  "Your wallet is a smart-contract account: you sign once, and Pier sends the payment and pays its network fee.";
const relayFallbackNotice = (why: string) =>
  `Pier could not send this payment for you (${why}), so we are paying with an approval and a payment transaction instead.`;

function freshSteps(method: CheckoutPayMethod): StepView[] {
  return stepsOf(method).map((id) => ({ id, state: "todo" }));
}

function applyUpdate(steps: StepView[], u: StepUpdate): StepView[] {
  return steps.map((s) =>
    s.id === u.step
      ? { ...s, state: u.state, detail: u.detail ?? s.detail, txHash: u.txHash ?? s.txHash }
      : s,
  );
}

export function usePayment({
  config,
  checkout,
  account,
  refetch,
}: {
  config: PierConfig;
  checkout: Checkout;
  account: Address | undefined;
  refetch: () => Promise<unknown>;
}) {
  const [session, setSession] = useState<PaySession | undefined>(() => restorePending(checkout));
  const cache = useRef<PayCache>({});
  const support = useRef<TokenSupport | undefined>(undefined);
  const running = useRef(false);

  const run = useCallback(
    async (method: CheckoutPayMethod | undefined, initialNotice?: string) => {
      if (!account || running.current) return;
      running.current = true;
      let current: CheckoutPayMethod = method ?? "allowance";
      let currentStep: StepId = "sign";
      const report = (u: StepUpdate) => {
        if (u.state === "active") currentStep = u.step;
        if (u.step === "send" && u.txHash) sessionStorage.setItem(pendingKey(checkout.id), u.txHash);
        setSession((s) =>
          s
            ? {
                ...s,
                steps: applyUpdate(s.steps, u),
                paymentTx: u.step === "send" && u.txHash ? u.txHash : s.paymentTx,
              }
            : s,
        );
      };
      let notice = initialNotice;
      let fallback = false;
      let fallbackNotice = TYPED_DATA_NOTICE;
      try {
        const detected =
          support.current ??
          (await detectTokenSupport(config, {
            token: checkout.terms.token,
            account,
            chainId: checkout.chain_id,
            authorizationNonce: termsDigest(
              checkout.chain_id,
              checkout.escrow,
              paymentTermsFromJson(checkout.terms),
            ),
          }));
        if (detected.authorization || detected.permit || detected.daiPermit) support.current = detected;
        current =
          method ??
          chooseMethod(
            detected,
            checkout.token.methods,
            new URLSearchParams(window.location.search).get("pay_method"),
          );
        // A smart-contract account cannot give the (v, r, s) signature the one-step paths take: Pier relays
        // its authorization when the token takes one (the escrow's bytes path), else approve and pay.
        if (current !== "allowance" && !method) {
          const code = await getBytecode(config, { address: account, chainId: checkout.chain_id });
          if (isContractAccount(code)) {
            const relayable = relaysFor(code, checkout.token) && detected.authorization;
            current = relayable ? "relayed" : "allowance";
            notice = relayable ? RELAYED_NOTICE : SMART_ACCOUNT_NOTICE;
          }
        }
        currentStep = stepsOf(current)[0]!;
        setSession((s) => ({
          method: current,
          steps:
            s?.method === current
              ? s.steps.map((x) => (x.state === "failed" ? { ...x, state: "todo" } : x))
              : freshSteps(current),
          running: true,
          notice: notice ?? s?.notice,
        }));
        await payOrder({
          config,
          checkout,
          account,
          method: current,
          support: detected,
          cache: cache.current,
          report,
        });
        setSession((s) => (s ? { ...s, running: false, error: undefined } : s));
        void refetch();
      } catch (error) {
        if (error instanceof OrderAlreadyPaidError) {
          setSession(undefined);
          void refetch();
        } else {
          const described =
            error instanceof TransactionRevertedError
              ? { kind: "contract" as const, message: error.message }
              : describeError(error, { token: checkout.token });
          if (described.errorName === "AlreadyPaid" || described.errorName === "ERC3009UsedAuthorization") {
            void refetch();
          }
          fallback =
            ((described.kind === "unsupported" || error instanceof NotEcdsaSignatureError) &&
              currentStep === "sign" &&
              current !== "allowance") ||
            error instanceof RelayRefusedError;
          if (error instanceof NotEcdsaSignatureError) fallbackNotice = SMART_ACCOUNT_NOTICE;
          if (error instanceof RelayRefusedError) fallbackNotice = relayFallbackNotice(error.message);
          if (!fallback) {
            setSession((s) =>
              s
                ? {
                    ...s,
                    running: false,
                    error: { ...described, step: currentStep },
                    steps: s.steps.map((x) =>
                      x.id === currentStep ? { ...x, state: "failed", detail: "Did not go through." } : x,
                    ),
                  }
                : s,
            );
          }
        }
      } finally {
        running.current = false;
      }
      if (fallback) {
        await run("allowance", fallbackNotice);
      }
    },
    [account, checkout, config, refetch],
  );

  // Another network/token picked (NetworkPicker): other terms, token and chain. Signatures and the token
  // support detected for the old option no longer apply, and a failed attempt on it is history.
  const optionId = `${checkout.chain_id}:${checkout.token.address}:${checkout.signature}`;
  const lastOption = useRef(optionId);
  useEffect(() => {
    if (lastOption.current === optionId) return;
    lastOption.current = optionId;
    cache.current = {};
    support.current = undefined;
    setSession((s) => (s && !s.running && s.paymentTx === undefined ? undefined : s));
  }, [optionId]);

  const start = useCallback(() => run(undefined), [run]);
  const retry = useCallback(() => run(session?.method), [run, session?.method]);

  // A payment submitted before a reload: wait for it instead of offering to pay again.
  useEffect(() => {
    const hash = session?.paymentTx;
    if (
      !hash ||
      running.current ||
      !account ||
      session?.steps.find((s) => s.id === "confirm")?.state !== "active"
    )
      return;
    let stop = false;
    waitForTransactionReceipt(config, { hash, chainId: checkout.chain_id })
      .then((receipt) => {
        if (stop) return;
        setSession((s) =>
          s
            ? {
                ...s,
                steps: applyUpdate(s.steps, {
                  step: "confirm",
                  state: receipt.status === "success" ? "done" : "failed",
                  detail:
                    receipt.status === "success"
                      ? `Confirmed in block ${receipt.blockNumber}.`
                      : "The transaction reverted.",
                }),
              }
            : s,
        );
        void refetch();
      })
      .catch(() => {});
    return () => {
      stop = true;
    };
  }, [account, checkout.chain_id, config, refetch, session?.paymentTx, session?.steps]);

  // The last step belongs to the API: done when it reports the order escrowed (or further).
  const status = checkout.status;
  useEffect(() => {
    if (!isPaid(status)) return;
    sessionStorage.removeItem(pendingKey(checkout.id));
    setSession((s) => {
      if (!s) return s;
      const escrowed = status !== "processing";
      return {
        ...s,
        steps: s.steps.map((x) => {
          if (x.id === "escrow")
            return {
              ...x,
              state: escrowed ? "done" : "active",
              detail: escrowed
                ? "Held in escrow for the merchant."
                : "Seen on chain, waiting for confirmations…",
            };
          return x.state === "done" || x.state === "todo" || x.state === "active"
            ? { ...x, state: "done" }
            : x;
        }),
      };
    });
  }, [status, checkout.id]);

  return { session, start, retry };
}

function restorePending(checkout: Checkout): PaySession | undefined {
  if (typeof sessionStorage === "undefined" || checkout.status !== "open") return undefined;
  const hash = sessionStorage.getItem(pendingKey(checkout.id)) as Hex | null;
  if (!hash) return undefined;
  return {
    method: "allowance",
    running: false,
    paymentTx: hash,
    steps: [
      { id: "send", state: "done", txHash: hash, detail: "Payment submitted." },
      { id: "confirm", state: "active", detail: "Waiting for the network to confirm…" },
      { id: "escrow", state: "todo" },
    ],
  };
}
