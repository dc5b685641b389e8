import { describe, expect, test } from "vitest";
import { assertDeliverableUrl } from "./urlPolicy.ts";

const refused = async (url: string, livemode: boolean) => {
  await expect(assertDeliverableUrl(url, livemode)).rejects.toMatchObject({ statusCode: 400, param: "url" });
};

describe("webhook URL policy", () => {
  test("default: test mode allows http and loopback", async () => {
    await expect(assertDeliverableUrl("http://127.0.0.1:9000/hook", false)).resolves.toBeInstanceOf(URL);
    await expect(assertDeliverableUrl("http://localhost:9000/hook", false)).resolves.toBeInstanceOf(URL);
    await expect(assertDeliverableUrl("http://[::1]:9000/hook", false)).resolves.toBeInstanceOf(URL);
  });
  test("error: live mode refuses http, loopback, private, link-local and mapped addresses", async () => {
    await refused("http://93.184.216.34/hook", true);
    await refused("https://127.0.0.1/hook", true);
    await refused("https://localhost/hook", true);
    await refused("https://[::1]/hook", true);
    await refused("https://10.0.0.8/hook", true);
    await refused("https://172.16.5.4/hook", true);
    await refused("https://192.168.0.1/hook", true);
    await refused("https://169.254.169.254/hook", true);
    await refused("https://[fd00::1]/hook", true);
    await refused("https://[::ffff:127.0.0.1]/hook", true);
    await refused("https://0.0.0.0/hook", true);
    await expect(assertDeliverableUrl("https://93.184.216.34/hook", true)).resolves.toBeInstanceOf(URL);
  });
  test("error: private ranges stay refused in test mode; only http(s)", async () => {
    await refused("http://10.0.0.8/hook", false);
    await refused("http://169.254.169.254/", false);
    await refused("file:///etc/passwd", false);
    await refused("http://user:pass@127.0.0.1/", false);
  });
});
