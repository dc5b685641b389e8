/**
 * The customer's payment attempt as React state: the chosen method, each step's progress, the error of
 * the step that failed (in words) and `retry`. The way to pay is chosen from the token, the account (code,
 * gas) and the wallet's EIP-5792 capabilities (choosePath), told to the customer with its reason and recorded
 * in the order's timeline; a refused way (Pier will not relay, the wallet will not batch or sign typed data)
 * falls through to the next best on its own; a rejected prompt waits for the customer to press "Try again". The last
 * submitted payment transaction is remembered for this tab (sessionStorage), so a reload while it is
 * pending does not invite a second payment.
 */

import { termsDigest } from "@pier/contracts/terms";
import { paymentTermsFromJson } from "@pier/contracts/termsJson";
import { NotEcdsaSignatureError } from "@pier/contracts/typedData";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Address, Hex } from "viem";
import { getBalance, getBytecode, getGasPrice, waitForTransactionReceipt } from "wagmi/actions";
import type { Checkout } from "../../lib/checkoutApi.ts";
import { isPaid, recordCheckoutAttempt } from "../../lib/checkoutApi.ts";
import { type DescribedError, describeError, knownError } from "../../lib/describeError.ts";
import type { PierConfig } from "../../wagmi.ts";
import { because, choosePath, type Notice, type PaymentPath } from "./choosePath.ts";
import {
  BatchFailedError,
  isContractAccount,
  OrderAlreadyPaidError,
  type PayCache,
  payOrder,
  RelayRefusedError,
  type StepDetail,
  type StepId,
  type StepState,
  type StepUpdate,
  stepsOf,
  TransactionRevertedError,
} from "./payOrder.ts";
import { type CheckoutPayMethod, detectTokenSupport, type TokenSupport } from "./tokenSupport.ts";
import { detectCapabilities, NO_CAPABILITIES } from "./walletCapabilities.ts";

export interface StepView {
  id: StepId;
  state: StepState;
  /** Translated where it is shown (PaySteps, StatusLine). */
  detail?: StepDetail;
  txHash?: Hex;
}

export interface PaySession {
  method: CheckoutPayMethod;
  steps: StepView[];
  running: boolean;
  error?: DescribedError & { step: StepId };
  /** Why this way, and why the method changed during the attempt (e.g. the wallet cannot sign typed data). */
  notices?: Notice[];
  paymentTx?: Hex;
}

const pendingKey = (orderId: string) => `pier:payment-tx:${orderId}`;

/** Why a way was chosen: the customer's notices and the English sentence for the order's timeline. */
interface Why {
  notices: Notice[];
  reason: string;
}

const why = (w: { notice: Notice; reason: string }): Why => ({ notices: [w.notice], reason: w.reason });
const TYPED_DATA_FALLBACK = why(because("pathReason.typedDataFallback"));
// The refusal is the API's own (English) words.
const relayFallback = (refusal: string) => why(because("pathReason.relayRefused", { why: refusal }));
const BATCH_FALLBACK = why(because("pathReason.batchFailed"));

/** Gas a payment transaction may need, for "does the account hold enough of the coin to pay its fee". */
const PAYMENT_GAS = 200_000n;

/** What the checkout learns about the account before choosing how it pays. */
interface AccountFacts {
  contractAccount: boolean;
  hasGas: boolean;
  capabilities: { atomic: boolean; paymaster: boolean };
}

async function accountFacts(config: PierConfig, account: Address, chainId: number): Promise<AccountFacts> {
  const [code, balance, gasPrice, capabilities] = await Promise.all([
    getBytecode(config, { address: account, chainId }),
    getBalance(config, { address: account, chainId }).then((b) => b.value),
    getGasPrice(config, { chainId }),
    detectCapabilities(config, account, chainId),
  ]);
  return {
    contractAccount: isContractAccount(code),
    hasGas: balance >= gasPrice * PAYMENT_GAS,
    capabilities,
  };
}

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

  const facts = useRef<AccountFacts | undefined>(undefined);
  /** The way chosen last: "Try again" retries it as it was (a batch keeps its paymaster). */
  const chosen = useRef<PaymentPath | undefined>(undefined);

  /**
   * One attempt. `method` retries that method as it was; otherwise choosePath picks, leaving out what
   * `excluded` says was refused in this attempt, and the choice and its reason go to the order's timeline.
   * `asSmartAccount`: the account signed like a smart-contract account although it has no code yet (an
   * ERC-4337 wallet not deployed, whose signature is ERC-6492-wrapped).
   */
  const run = useCallback(
    async (
      method: CheckoutPayMethod | undefined,
      initialNotice?: Why,
      excluded: CheckoutPayMethod[] = [],
      asSmartAccount = false,
    ) => {
      if (!account || running.current) return;
      running.current = true;
      let current: CheckoutPayMethod = method ?? "allowance";
      let path: PaymentPath | undefined;
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
      let next: (() => Promise<void>) | undefined;
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
        if (method) {
          current = method;
          if (chosen.current?.method === method) path = chosen.current;
        } else {
          facts.current ??= await accountFacts(config, account, checkout.chain_id).catch(() => ({
            contractAccount: false,
            hasGas: true,
            capabilities: NO_CAPABILITIES,
          }));
          const f = facts.current;
          path = choosePath({
            support: detected,
            methods: checkout.token.methods,
            preferred: new URLSearchParams(window.location.search).get("pay_method"),
            contractAccount: f.contractAccount || asSmartAccount,
            hasGas: f.hasGas,
            gasless: checkout.gasless,
            paymasterUrl: checkout.paymaster_url,
            capabilities: f.capabilities,
            excluded,
            coin: config.chains.find((c) => c.id === checkout.chain_id)?.nativeCurrency.symbol ?? "ETH",
          });
          current = path.method;
          chosen.current = path;
          notice = {
            notices: [...(initialNotice?.notices ?? []), path.notice],
            reason: initialNotice ? `${initialNotice.reason} ${path.reason}` : path.reason,
          };
        }
        // Each choice goes to the order's timeline: chosen here, or forced by a fallback (its notice says why);
        // a plain "Try again" of the same way is not a new choice.
        if (!method || initialNotice) {
          const f = facts.current;
          void recordCheckoutAttempt(checkout.id, {
            method: current,
            reason: notice?.reason ?? "",
            account,
            wallet: {
              type: f?.contractAccount || asSmartAccount ? "smart_account" : "eoa",
              atomic: f?.capabilities.atomic ?? false,
              paymaster: f?.capabilities.paymaster ?? false,
            },
          });
        }
        currentStep = stepsOf(current)[0]!;
        setSession((s) => ({
          method: current,
          steps:
            s?.method === current
              ? s.steps.map((x) => (x.state === "failed" ? { ...x, state: "todo" } : x))
              : freshSteps(current),
          running: true,
          notices: notice?.notices ?? s?.notices,
        }));
        await payOrder({
          config,
          checkout,
          account,
          method: current,
          paymasterUrl: path?.paymasterUrl,
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
              ? knownError("contract", "errors.reverted")
              : describeError(error, { token: checkout.token });
          if (described.errorName === "AlreadyPaid" || described.errorName === "ERC3009UsedAuthorization") {
            void refetch();
          }
          const tried = [...excluded, current];
          if (error instanceof RelayRefusedError) {
            next = () => run(undefined, relayFallback(error.message), tried, asSmartAccount);
          } else if (error instanceof NotEcdsaSignatureError && currentStep === "sign") {
            // It signed like a smart account (its signature is kept): choose again as one.
            next = () => run(undefined, undefined, tried, true);
          } else if (
            current === "batch" &&
            currentStep === "send" &&
            (described.kind === "unsupported" || error instanceof BatchFailedError)
          ) {
            next = () => run(undefined, BATCH_FALLBACK, tried, asSmartAccount);
          } else if (described.kind === "unsupported" && currentStep === "sign" && current !== "allowance") {
            next = () => run("allowance", TYPED_DATA_FALLBACK);
          }
          if (!next) {
            setSession((s) =>
              s
                ? {
                    ...s,
                    running: false,
                    error: { ...described, step: currentStep },
                    steps: s.steps.map((x) =>
                      x.id === currentStep ? { ...x, state: "failed", detail: { key: "failed" } } : x,
                    ),
                  }
                : s,
            );
          }
        }
      } finally {
        running.current = false;
      }
      if (next) await next();
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
    facts.current = undefined;
    chosen.current = undefined;
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
                      ? { key: "confirmedInBlock", values: { block: String(receipt.blockNumber) } }
                      : { key: "reverted" },
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
              detail: escrowed ? { key: "escrowed" } : { key: "seenOnChain" },
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
      { id: "send", state: "done", txHash: hash, detail: { key: "submitted" } },
      { id: "confirm", state: "active", detail: { key: "waitingNetwork" } },
      { id: "escrow", state: "todo" },
    ],
  };
}
