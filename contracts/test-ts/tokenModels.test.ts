/**
 * The four stablecoin models on a real Hardhat node, deployed by deployLocal({ tokenModels: true }): each
 * one's metadata and the dev accounts' balances, the default contracts where they always are, and a
 * payment in each family through the test harness, the DAI-like one by DAI's own permit
 * (payWithDaiPermit), read back from the escrow.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Address,
  encodeAbiParameters,
  erc20Abi,
  keccak256,
  maxUint256,
  parseAbi,
  parseUnits,
} from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_BALANCE, DEV_DAI_BALANCE, deployLocal } from "../../scripts/deploy.ts";
import { type ChainHandle, startChain } from "../../scripts/lib/chain.ts";
import { freePort } from "../../scripts/lib/ports.ts";
import { account, createPayments } from "../../test/harness/payments.ts";
import { paymentEscrowAbi } from "../generated/abis.ts";
import { devAccount } from "../lib/accounts.ts";
import type { Deployment } from "../lib/deployments.ts";

const currencyAbi = parseAbi(["function currency() view returns (string)"]);
/** The `Payment` tuple as the escrow's `remaining` takes it: abi.encode of it is the stored record hash's preimage. */
const paymentTuple = paymentEscrowAbi.find(
  (item) => item.type === "function" && item.name === "remaining",
)!.inputs;
/** PayMethod.DaiPermit in IPaymentEscrow: the fifth value. */
const DAI_PERMIT_METHOD = 4;

let dir: string;
let chain: ChainHandle;
let deployment: Deployment;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pier-token-models-"));
  chain = await startChain({ port: await freePort(), logFile: join(dir, "chain.log") });
  deployment = await deployLocal(chain.rpcUrl, join(dir, "deployment.json"), { tokenModels: true });
});

afterAll(async () => {
  await chain?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function model(name: "UsdcLike" | "EurcLike" | "UsdtLike" | "DaiLike"): Address {
  const entry = deployment.contracts[name];
  if (!entry) throw new Error(`the deployment has no ${name}`);
  return entry.address;
}

describe("deployLocal({ tokenModels: true })", () => {
  it("deploys the four models, records them and funds the dev accounts", async () => {
    const pay = createPayments(chain.rpcUrl, deployment);
    const read = (address: Address, functionName: "symbol" | "decimals" | "name") =>
      pay.publicClient.readContract({ address, abi: erc20Abi, functionName });
    const expected = {
      UsdcLike: { name: "USD Coin", symbol: "USDC", decimals: 6, balance: DEV_BALANCE },
      EurcLike: { name: "EURC", symbol: "EURC", decimals: 6, balance: DEV_BALANCE },
      UsdtLike: { name: "Tether-like USD", symbol: "tUSDT", decimals: 6, balance: DEV_BALANCE },
      DaiLike: { name: "Dai Stablecoin", symbol: "DAI", decimals: 18, balance: DEV_DAI_BALANCE },
    } as const;
    for (const [name, want] of Object.entries(expected)) {
      const address = model(name as keyof typeof expected);
      expect(await read(address, "name"), name).toBe(want.name);
      expect(await read(address, "symbol"), name).toBe(want.symbol);
      expect(await read(address, "decimals"), name).toBe(want.decimals);
      for (const role of ["customer", "customer2", "treasury"] as const)
        expect(await pay.balanceOf(account(role).address, address), `${name} ${role}`).toBe(want.balance);
      expect(deployment.contracts[name as keyof typeof expected]?.blockNumber).toBeGreaterThan(0);
    }
    const currency = (address: Address) =>
      pay.publicClient.readContract({ address, abi: currencyAbi, functionName: "currency" });
    expect(await currency(model("UsdcLike"))).toBe("USD");
    expect(await currency(model("EurcLike"))).toBe("EUR");
    // Both run the RegulatedStablecoin deployed for rUSDC, each behind a proxy of its own.
    expect(deployment.contracts.UsdcLike?.implementation).toBe(
      deployment.contracts.RegulatedStablecoin?.implementation,
    );
    expect(deployment.contracts.EurcLike?.implementation).toBe(
      deployment.contracts.RegulatedStablecoin?.implementation,
    );
    expect(deployment.contracts.EurcLike?.proxyAdmin).toBe(devAccount("proxyAdmin").address);

    // Deployed after everything else: the default contracts keep the addresses they always have.
    expect(deployment.contracts.TestStablecoin?.address).toBe("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512");
    const written = JSON.parse(await readFile(join(dir, "deployment.json"), "utf8")) as Deployment;
    expect(written.contracts.DaiLike).toEqual(deployment.contracts.DaiLike);
    expect(written.contracts.UsdcLike).toEqual(deployment.contracts.UsdcLike);
  });
});

describe("paying in each model", () => {
  it("DAI-like: payWithDaiPermit pays the order, and the escrow holds it as recorded", async () => {
    const dai = model("DaiLike");
    const pay = createPayments(chain.rpcUrl, deployment, { token: dai });
    const customer = account("customer").address;
    const amount = parseUnits("25", 18);
    const terms = await pay.newTerms({ amount, fee: parseUnits("0.5", 18) });
    const before = await pay.balanceOf(customer);

    const paid = await pay.payByDaiPermit(terms);

    expect(paid.escrowed.args.method).toBe(DAI_PERMIT_METHOD);
    expect(paid.record.payer).toBe(customer);
    expect(await pay.balanceOf(customer)).toBe(before - amount);
    expect(await pay.balanceOf(pay.escrow)).toBe(amount);
    // Read back from the escrow: the stored record hash is this record's, and all of it remains.
    const state = await pay.publicClient.readContract({
      address: pay.escrow,
      abi: paymentEscrowAbi,
      functionName: "paymentState",
      args: [paid.paymentId],
    });
    expect(state.recordHash).toBe(keccak256(encodeAbiParameters(paymentTuple, [paid.record])));
    expect(
      await pay.publicClient.readContract({
        address: pay.escrow,
        abi: paymentEscrowAbi,
        functionName: "remaining",
        args: [paid.record],
      }),
    ).toBe(amount);
    // DAI's permit has no amount: the escrow keeps an unlimited allowance only the customer's payments use.
    const allowance = await pay.publicClient.readContract({
      address: dai,
      abi: erc20Abi,
      functionName: "allowance",
      args: [customer, pay.escrow],
    });
    expect(allowance).toBe(maxUint256);

    // It settles like any other payment.
    await pay.release(paid.record, "merchant");
    expect(await pay.balanceOf(account("merchant").address)).toBe(DEV_DAI_BALANCE + amount - terms.fee);
  });

  it("a second DAI permit payment by the same customer consumes the next nonce", async () => {
    const pay = createPayments(chain.rpcUrl, deployment, { token: model("DaiLike") });
    const paid = await pay.payByDaiPermit(await pay.newTerms({ amount: parseUnits("3", 18), fee: 0n }));
    expect(paid.escrowed.args.method).toBe(DAI_PERMIT_METHOD);
    const nonce = await pay.publicClient.readContract({
      address: model("DaiLike"),
      abi: parseAbi(["function nonces(address) view returns (uint256)"]),
      functionName: "nonces",
      args: [account("customer").address],
    });
    expect(nonce).toBe(2n);
  });

  it("USDT-like by allowance, USDC-like by permit and EURC-like by authorization", async () => {
    const usdt = createPayments(chain.rpcUrl, deployment, { token: model("UsdtLike") });
    const byAllowance = await usdt.payByAllowance(await usdt.newTerms());
    expect(await usdt.balanceOf(usdt.escrow)).toBe(byAllowance.terms.amount);

    const usdc = createPayments(chain.rpcUrl, deployment, { token: model("UsdcLike") });
    const byPermit = await usdc.payByPermit(await usdc.newTerms());
    expect(await usdc.balanceOf(usdc.escrow)).toBe(byPermit.terms.amount);

    const eurc = createPayments(chain.rpcUrl, deployment, { token: model("EurcLike") });
    const byAuthorization = await eurc.payByAuthorization(await eurc.newTerms(), "customer2");
    expect(byAuthorization.record.payer).toBe(account("customer2").address);
    expect(await eurc.balanceOf(eurc.escrow)).toBe(byAuthorization.terms.amount);
  });
});
