/**
 * The customer's two steps to subscribe, with their state for the page: (1) allow SpendPermissions to
 * pull the token (an ERC-20 approve covering several charges; skipped when the wallet's allowance already
 * covers one), (2) sign the spend permission the API builds and hand the signature to the API, which
 * starts the subscription. A failed step keeps its error for the page and a retry resumes from it: an
 * approval that went through is not asked for again.
 */

import type { CheckoutSubscription } from "@pier/client/types";
import {
  spendPermissionFromJson,
  spendPermissionHash,
  spendPermissionTypedData,
} from "@pier/contracts/spendPermission";
import { paymentTokenAbi } from "@pier/contracts/tokenAbi";
import { useCallback, useRef, useState } from "react";
import { type Address, getAddress, type Hex } from "viem";
import { readContract, signTypedData, waitForTransactionReceipt, writeContract } from "wagmi/actions";
import { type DescribedError, describeError, knownError } from "../../lib/describeError.ts";
import type en from "../../locales/en.json";
import type { PierConfig } from "../../wagmi.ts";
import { authorizeSubscription, requestPermission, SubscribeApiError } from "./subscribeApi.ts";
import { approvalAmount } from "./subscriptionTerms.ts";

export type Option = CheckoutSubscription["options"][number];
export type StepId = "approve" | "sign";

/** A step's detail line: a message of the page's catalogues (`subscribe.progress.*`) and its values. */
export interface SubscribeDetail {
  key: keyof (typeof en)["subscribe"]["progress"];
  values?: Record<string, string>;
}

export interface SubscribeStep {
  id: StepId;
  state: "todo" | "active" | "done" | "failed";
  detail?: SubscribeDetail;
  txHash?: Hex;
}

export interface SubscribeSession {
  steps: SubscribeStep[];
  running: boolean;
  error?: DescribedError;
}

const fresh = (): SubscribeStep[] => [
  { id: "approve", state: "todo" },
  { id: "sign", state: "todo" },
];

export function useSubscribe({
  config,
  subscription,
  option,
  account,
  onAuthorized,
}: {
  config: PierConfig;
  subscription: CheckoutSubscription;
  option: Option | undefined;
  account: Address | undefined;
  onAuthorized: () => Promise<unknown>;
}) {
  const [session, setSession] = useState<SubscribeSession>();
  // The approval done for this account and option: a retry goes straight to signing.
  const approved = useRef<string | undefined>(undefined);
  const running = useRef(false);

  const update = useCallback((id: StepId, patch: Partial<SubscribeStep>) => {
    setSession(
      (s) => s && { ...s, steps: s.steps.map((step) => (step.id === id ? { ...step, ...patch } : step)) },
    );
  }, []);

  const start = useCallback(async () => {
    if (!option || !account || running.current) return;
    running.current = true;
    const key = `${account}:${option.network}:${option.token}`;
    setSession((s) => ({
      steps: s?.steps ?? fresh(),
      running: true,
    }));
    let current: StepId = "approve";
    try {
      if (approved.current !== key) {
        await approve(config, option, account, subscription.plan.cycles, (patch) => update("approve", patch));
        approved.current = key;
      }
      current = "sign";
      await sign(config, subscription.id, option, account, (patch) => update("sign", patch));
      setSession((s) => s && { ...s, running: false });
      await onAuthorized();
    } catch (error) {
      const described: DescribedError =
        error instanceof SubscribeApiError
          ? knownError("unknown", "errors.unknown", { detail: error.message })
          : describeError(error);
      update(current, { state: "failed", detail: undefined });
      setSession((s) => s && { ...s, running: false, error: described });
    } finally {
      running.current = false;
    }
  }, [config, subscription, option, account, onAuthorized, update]);

  const retry = useCallback(() => {
    setSession((s) => s && { ...s, error: undefined });
    void start();
  }, [start]);

  return { session, start: () => void start(), retry };
}

type Report = (patch: Partial<SubscribeStep>) => void;

async function approve(
  config: PierConfig,
  option: Option,
  account: Address,
  cycles: number | null,
  report: Report,
): Promise<void> {
  const token = { address: getAddress(option.token), abi: paymentTokenAbi, chainId: option.network } as const;
  const spender = getAddress(option.spend_permissions);
  report({ state: "active", detail: { key: "checking" } });
  const current = await readContract(config, {
    ...token,
    functionName: "allowance",
    args: [account, spender],
  });
  if (current >= BigInt(option.amount)) {
    report({ state: "done", detail: { key: "alreadyAllowed" } });
    return;
  }
  report({ state: "active", detail: { key: "allowInWallet", values: { symbol: option.symbol } } });
  const hash = await writeContract(config, {
    ...token,
    functionName: "approve",
    args: [spender, approvalAmount(BigInt(option.amount), cycles)],
    account,
  });
  report({ state: "active", txHash: hash, detail: { key: "submitted" } });
  const receipt = await waitForTransactionReceipt(config, { hash, chainId: option.network });
  if (receipt.status !== "success") throw new Error("The approval transaction failed on chain. Try again.");
  report({ state: "done", txHash: hash, detail: { key: "allowed" } });
}

async function sign(
  config: PierConfig,
  subscriptionId: string,
  option: Option,
  account: Address,
  report: Report,
): Promise<void> {
  report({ state: "active", detail: { key: "preparing" } });
  const body = { network: option.network, token: option.token, account };
  const permission = await requestPermission(subscriptionId, body);
  const m = permission.typed_data.message;
  const message = spendPermissionFromJson(m);
  const { chainId, verifyingContract } = permission.typed_data.domain;
  // Sign only what the page showed: this account, this token, one charge of the plan, on this network's
  // SpendPermissions; and the digest the API will verify.
  const typedData = spendPermissionTypedData(chainId, getAddress(verifyingContract), message);
  if (
    message.account !== account ||
    message.token !== getAddress(option.token) ||
    message.allowance !== BigInt(option.amount) ||
    chainId !== option.network ||
    getAddress(verifyingContract) !== getAddress(option.spend_permissions) ||
    spendPermissionHash(chainId, getAddress(verifyingContract), message) !== permission.hash
  ) {
    throw new Error(
      "The permission from the payment service is not the one shown on this page. Nothing was signed.",
    );
  }
  report({ state: "active", detail: { key: "signInWallet" } });
  const signature = await signTypedData(config, { account, ...typedData });
  report({ state: "active", detail: { key: "starting" } });
  await authorizeSubscription(subscriptionId, { ...body, signature });
  report({ state: "done", detail: { key: "authorized" } });
}
