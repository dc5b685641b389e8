/**
 * The dashboard's Team and Audit log sections in headless Chromium against the real stack: the owner
 * invites a second wallet (dev `customer2`) as support; that wallet signs in, sees its role and only the
 * sections and controls support may use; the owner changes its role and finds the invitation, its
 * acceptance and the role change in the audit log, filtered and exportable. One stack for the file.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { devAccount } from "../../contracts/lib/accounts.ts";
import { screenshot } from "./lib/checkoutPage.ts";
import { type OpenedDashboard, openDashboard, signInWithWallet } from "./lib/dashboardPage.ts";
import { type DashboardStack, startDashboardStack } from "./lib/dashboardStack.ts";
import { launchChromium } from "./lib/playwright.ts";

let ds: DashboardStack;
let browser: Browser;
const opened: OpenedDashboard[] = [];

beforeAll(async () => {
  [ds, browser] = await Promise.all([startDashboardStack({ webDir: inject("webDir") }), launchChromium()]);
});

afterAll(async () => {
  for (const d of opened) await d.close();
  await browser?.close();
  await ds?.stop();
});

const navNames = async (d: OpenedDashboard) =>
  d.page.getByRole("navigation", { name: "Dashboard" }).getByRole("link").allTextContents();

test("default: the owner invites a support member, who signs in with support's controls only; the invite and the role change are in the audit log", {
  timeout: 120_000,
}, async () => {
  const support = devAccount("customer2").address;
  const [order, owner] = await Promise.all([ds.escrowedOrder("Milk frother"), openDashboard(browser, ds)]);
  opened.push(owner);
  await signInWithWallet(owner.page);
  expect(await owner.page.getByTestId("member-role").textContent()).toBe("owner");
  expect(await navNames(owner)).toEqual(expect.arrayContaining(["Team", "Audit log", "Developers"]));

  await owner.page.getByRole("link", { name: "Team" }).click();
  await owner.page.getByLabel("Wallet address").fill(support);
  await owner.page.getByLabel("Role", { exact: true }).selectOption("support");
  await owner.page.getByRole("button", { name: "Invite" }).click();
  const invitation = owner.page.locator(`[data-testid="team-invitation"][data-address="${support}"]`);
  await invitation.getByText("Support").waitFor();
  await screenshot(owner.page, "dashboard-team-invited");

  // The invited wallet signs in: that accepts the invitation.
  const member = await openDashboard(browser, ds, { role: "customer2" });
  opened.push(member);
  await signInWithWallet(member.page);
  expect(await member.page.getByTestId("member-role").textContent()).toBe("support");
  const sections = await navNames(member);
  expect(sections).toEqual(expect.arrayContaining(["Orders", "Risk review", "Security"]));
  for (const hidden of ["Team", "Audit log", "Developers", "Analytics", "Reconciliation"]) {
    expect(sections).not.toContain(hidden);
  }
  await member.page.locator(`[data-testid="order-row"][data-order="${order.id}"] a`).click();
  await member.page.getByRole("heading", { name: "Milk frother" }).waitFor();
  await member.page.getByRole("button", { name: "Refund…" }).waitFor();
  expect(await member.page.getByRole("button", { name: "Release now…" }).count()).toBe(0);
  await screenshot(member.page, "dashboard-team-support-order");

  // The owner sees the member, changes its role, and finds it all in the audit log.
  await owner.page.reload();
  const row = owner.page.locator(`[data-testid="team-member"][data-address="${support}"]`);
  await row.waitFor();
  expect(await owner.page.locator('[data-testid="team-invitation"]').count()).toBe(0);
  await row.getByLabel(`Role of ${support}`).selectOption("accountant");
  await owner.page.getByRole("link", { name: "Audit log" }).click();
  const entries = owner.page.locator('[data-testid="audit-entry"]');
  await entries.filter({ hasText: "team.role_changed" }).waitFor();
  for (const action of ["team.member_invited", "team.invitation_accepted", "team.role_changed"]) {
    expect(
      await owner.page.locator(`[data-testid="audit-entry"][data-action="${action}"]`).count(),
      action,
    ).toBe(1);
  }
  expect(await entries.filter({ hasText: "team.role_changed" }).textContent()).toContain(
    '"after":{"role":"accountant"}',
  );
  await owner.page.getByLabel("Action").selectOption("team.role_changed");
  // While the filtered list loads the table can be empty, and an empty list passes `every`.
  await owner.page.waitForFunction(() => {
    const shown = Array.from(document.querySelectorAll('[data-testid="audit-entry"]'));
    return shown.length > 0 && shown.every((e) => e.getAttribute("data-action") === "team.role_changed");
  });
  expect(await entries.count()).toBe(1);
  await screenshot(owner.page, "dashboard-audit-log");
  const [download] = await Promise.all([
    owner.page.waitForEvent("download"),
    owner.page.getByTestId("audit-export").click(),
  ]);
  const csv = await (await download.createReadStream()).toArray();
  const lines = Buffer.concat(csv).toString().trimEnd().split("\r\n");
  expect(lines[0]).toBe("id,created,livemode,actor_type,actor_id,action,object_id,details,request_id");
  expect(lines.slice(1).map((l) => l.split(",")[5])).toEqual(["team.role_changed"]);

  // The role change reached the member's open session.
  await member.page.reload();
  expect(await member.page.getByTestId("member-role").textContent()).toBe("accountant");
  expect(owner.pageErrors.concat(member.pageErrors)).toEqual([]);
});
