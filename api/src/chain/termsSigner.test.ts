import { randomBytes } from "node:crypto";
import {
  escrowDomain,
  onchainOrderId,
  type PaymentTerms,
  paymentIdOf,
  paymentTermsTypes,
  signTerms,
} from "@pier/contracts/terms";
import { getAddress, type Hex, recoverTypedDataAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, test } from "vitest";
import { createTermsSigner, orderIdentifiers } from "./termsSigner.ts";

const escrow = getAddress(`0x${randomBytes(20).toString("hex")}`);

describe("createTermsSigner", () => {
  test("default: the same signature bytes as viem's signTypedData, recovering to the operator", async () => {
    for (let i = 0; i < 25; i++) {
      const key = `0x${randomBytes(32).toString("hex")}` as Hex;
      const operator = privateKeyToAccount(key);
      const terms: PaymentTerms = {
        orderId: onchainOrderId(`ord_${i}_${randomBytes(4).toString("hex")}`),
        merchant: getAddress(`0x${randomBytes(20).toString("hex")}`),
        token: getAddress(`0x${randomBytes(20).toString("hex")}`),
        amount: BigInt(`0x${randomBytes(16).toString("hex")}`),
        fee: BigInt(i),
        deadline: 1_800_000_000n + BigInt(i),
        escrowPeriod: 604_800n,
        operator: operator.address,
      };
      const fast = createTermsSigner(key, 31337 + i, escrow)(terms);
      expect(fast).toBe(await signTerms(operator, 31337 + i, escrow, terms));
      const signer = await recoverTypedDataAddress({
        domain: escrowDomain(31337 + i, escrow),
        types: paymentTermsTypes,
        primaryType: "PaymentTerms",
        message: terms,
        signature: fast,
      });
      expect(signer).toBe(operator.address);
    }
  });

  test("orderIdentifiers: equal to onchainOrderId and paymentIdOf, unicode included", () => {
    for (const ref of ["ord_1", `ord_${randomBytes(12).toString("hex")}`, "ord_é✓", ""]) {
      const operator = getAddress(`0x${randomBytes(20).toString("hex")}`);
      const ids = orderIdentifiers(ref, operator);
      expect(ids.orderId).toBe(onchainOrderId(ref));
      expect(ids.paymentId).toBe(paymentIdOf(operator, onchainOrderId(ref)));
    }
  });

  test("error: values outside uint256 and bad keys are refused", () => {
    const sign = createTermsSigner(`0x${"11".repeat(32)}`, 1, escrow);
    const terms = {
      orderId: onchainOrderId("ord_x"),
      merchant: escrow,
      token: escrow,
      amount: -1n,
      fee: 0n,
      deadline: 0n,
      escrowPeriod: 0n,
      operator: escrow,
    };
    expect(() => sign(terms)).toThrow(/uint256/);
    expect(() => createTermsSigner(`0x${"00".repeat(32)}`, 1, escrow)).toThrow();
  });
});
