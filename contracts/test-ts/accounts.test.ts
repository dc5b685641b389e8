import { mnemonicToAccount } from "viem/accounts";
import { describe, expect, test } from "vitest";
import { DEV_MNEMONIC, devAccount, devPrivateKey, devRoles } from "../lib/accounts.ts";

describe("dev accounts", () => {
  test("behavior: every role's account is the one viem derives from the mnemonic (BIP-39/BIP-44)", () => {
    for (const [role, index] of Object.entries(devRoles)) {
      const expected = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index });
      const account = devAccount(role as keyof typeof devRoles);
      expect(account.address).toBe(expected.address);
      expect(devPrivateKey(role as keyof typeof devRoles)).toBe(
        `0x${Buffer.from(expected.getHdKey().privateKey!).toString("hex")}`,
      );
    }
    // Hardhat's well-known first two accounts.
    expect(devAccount("deployer").address).toBe("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    expect(devAccount("operator").address).toBe("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  });

  test("behavior: the account signs like viem's own (same signature for the same message)", async () => {
    const expected = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: devRoles.treasury });
    expect(await devAccount("treasury").signMessage({ message: "pier" })).toBe(
      await expected.signMessage({ message: "pier" }),
    );
  });
});
