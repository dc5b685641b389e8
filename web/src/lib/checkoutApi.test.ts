/** POST /v1/checkout/:id/select as the picker sees it: the request it sends, and API errors in plain words. */
import { afterEach, describe, expect, test, vi } from "vitest";
import { CheckoutApiError, selectCheckoutOption } from "./checkoutApi.ts";

const ORDER = "ord_0123456789abcdefABCDEF01";
const token = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

afterEach(() => {
  vi.unstubAllGlobals();
});

function answer(status: number, body: unknown) {
  const fetch = vi.fn(async () => new Response(JSON.stringify(body), { status }));
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

describe("selectCheckoutOption", () => {
  test("default: posts the chain id and token, and returns the checkout the API answers", async () => {
    const fetch = answer(200, { id: ORDER, chain_id: 1337 });
    await expect(selectCheckoutOption(ORDER, { network: 1337, token })).resolves.toMatchObject({
      chain_id: 1337,
    });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe(`/v1/checkout/${ORDER}/select`);
    expect(init.method).toBe("POST");
    expect(JSON.parse(init.body as string)).toEqual({ network: 1337, token });
  });

  test("error: 409 order_not_open says the order can no longer change", async () => {
    answer(409, {
      error: { type: "invalid_request_error", code: "order_not_open", message: "Order is paid" },
    });
    const error = await selectCheckoutOption(ORDER, { network: 1337, token }).catch((e) => e);
    expect(error).toBeInstanceOf(CheckoutApiError);
    expect(error).toMatchObject({ status: 409, code: "order_not_open" });
    expect(error.message).toMatch(/can no longer be changed: it is already paid, canceled or expired/);
  });

  test("error: 400 shows the API's own message; a network failure says so", async () => {
    answer(400, { error: { code: "parameter_invalid", message: "network 8453 is not among the options" } });
    await expect(selectCheckoutOption(ORDER, { network: 8453, token })).rejects.toMatchObject({
      status: 400,
      code: "parameter_invalid",
      message: "network 8453 is not among the options",
    });
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        throw new TypeError("Failed to fetch");
      }),
    );
    await expect(selectCheckoutOption(ORDER, { network: 1337, token })).rejects.toMatchObject({
      message: "We could not reach the payment service. Check your connection.",
    });
  });
});
