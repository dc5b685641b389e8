/**
 * /v1/team against a real API: invitations (accepted by signing in, revoked, expired, refused twice),
 * role changes applied to open sessions, removal ending sessions at once, the last-owner rule and
 * "nobody grants a role above their own".
 */
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { devAccount } from "../../../../../contracts/lib/accounts.ts";
import type { ApiClient } from "../../../../../test/harness/apiClient.ts";
import { type ApiStack, startApiStack } from "../../../../../test/harness/apiStack.ts";
import {
  type DashboardSession,
  dashboardSignIn,
  signInResponse,
} from "../../../../../test/harness/dashboardSession.ts";

let s: ApiStack;
let anon: ApiClient;
let owner: DashboardSession;
const ownerAccount = devAccount("merchant");
const wallet = () => privateKeyToAccount(generatePrivateKey());

beforeAll(async () => {
  s = await startApiStack({ PIER_DASHBOARD_URL: "http://localhost:5173" });
  anon = s.client.withKey(undefined);
  owner = await dashboardSignIn(s.client, ownerAccount);
});
afterAll(async () => {
  await s?.stop();
});

const as = (session: DashboardSession) => ({
  get: (path: string) => anon.get(path, { headers: session.headers }),
  post: (path: string, body?: unknown) => anon.post(path, body, { headers: session.headers }),
  delete: (path: string) => anon.delete(path, { headers: session.headers }),
});

async function join(role: string, by = owner) {
  const account = wallet();
  const invited = await as(by).post("/v1/team/invitations", { address: account.address, role });
  expect(invited.status, JSON.stringify(invited.body)).toBe(200);
  return { account, session: await dashboardSignIn(s.client, account) };
}

async function auditCount(action: string): Promise<number> {
  const { rows } = await s.stack.db.query(
    "SELECT count(*)::int AS n FROM pier_api.audit_log WHERE merchant_id = $1 AND action = $2",
    [s.merchantId, action],
  );
  return rows[0].n;
}

describe("members and invitations", () => {
  test("default: the merchant's owner wallet is its first owner; an invited wallet joins by signing in", async () => {
    const members = await as(owner).get("/v1/team/members");
    expect(members.status).toBe(200);
    expect(members.body.data[0]).toMatchObject({
      object: "team_member",
      address: ownerAccount.address,
      role: "owner",
    });
    expect(owner.body).toMatchObject({ role: "owner", permissions: expect.arrayContaining(["team:owners"]) });

    const invitee = wallet();
    const refused = await signInResponse(s.client, invitee);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("not_merchant_member");

    const invited = await as(owner).post("/v1/team/invitations", {
      address: invitee.address.toLowerCase(),
      role: "accountant",
    });
    expect(invited.status).toBe(200);
    expect(invited.body).toMatchObject({
      object: "team_invitation",
      address: invitee.address,
      role: "accountant",
      invited_by: ownerAccount.address,
    });
    expect(invited.body.expires_at - invited.body.created).toBe(7 * 24 * 3600);
    const pending = await as(owner).get("/v1/team/invitations");
    expect(pending.body.data.map((i: { id: string }) => i.id)).toContain(invited.body.id);

    const session = await dashboardSignIn(s.client, invitee);
    expect(session.body).toMatchObject({ role: "accountant", merchant: { id: s.merchantId } });
    expect(
      (await as(owner).get("/v1/team/invitations")).body.data.map((i: { id: string }) => i.id),
    ).not.toContain(invited.body.id);
    const after = (await as(owner).get("/v1/team/members")).body.data;
    expect(after).toContainEqual(expect.objectContaining({ address: invitee.address, role: "accountant" }));

    const again = await as(owner).post("/v1/team/invitations", { address: invitee.address, role: "support" });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "already_member", param: "address" });
  });

  test("error: bad addresses and roles are refused and change nothing", async () => {
    const before = await auditCount("team.member_invited");
    for (const body of [
      { address: "0x1234", role: "support" },
      { address: "0x0000000000000000000000000000000000000000", role: "support" },
      { address: wallet().address, role: "superuser" },
      { address: wallet().address },
    ]) {
      const res = await as(owner).post("/v1/team/invitations", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(await auditCount("team.member_invited")).toBe(before);
  });

  test("behavior: a revoked or expired invitation cannot be used; inviting again replaces the open one", async () => {
    const revokedWallet = wallet();
    const first = await as(owner).post("/v1/team/invitations", {
      address: revokedWallet.address,
      role: "support",
    });
    const second = await as(owner).post("/v1/team/invitations", {
      address: revokedWallet.address,
      role: "developer",
    });
    expect(second.status).toBe(200);
    const open = (await as(owner).get("/v1/team/invitations?limit=100")).body.data.filter(
      (i: { address: string }) => i.address === revokedWallet.address,
    );
    expect(open.map((i: { id: string }) => i.id)).toEqual([second.body.id]);
    expect((await as(owner).post(`/v1/team/invitations/${first.body.id}/revoke`)).body.error.code).toBe(
      "invitation_closed",
    );
    const revoked = await as(owner).post(`/v1/team/invitations/${second.body.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect((await signInResponse(s.client, revokedWallet)).body.error.code).toBe("not_merchant_member");

    const late = wallet();
    const inv = await as(owner).post("/v1/team/invitations", { address: late.address, role: "support" });
    await s.stack.db.query(
      "UPDATE pier_api.team_invitations SET expires_at = now() - interval '1 second' WHERE id = $1",
      [inv.body.id],
    );
    expect((await signInResponse(s.client, late)).body.error.code).toBe("not_merchant_member");
  });
});

describe("roles", () => {
  test("behavior: a role change applies to the member's open session at once and is audited with before and after", async () => {
    const { account, session } = await join("support");
    expect((await as(session).get("/v1/keys")).status).toBe(403);
    const changed = await as(owner).post(`/v1/team/members/${account.address}`, { role: "developer" });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ address: account.address, role: "developer" });
    expect((await as(session).get("/v1/keys")).status).toBe(200);
    expect((await as(session).get("/v1/dashboard/session")).body.role).toBe("developer");
    const { rows } = await s.stack.db.query(
      "SELECT actor_type, actor_id, details, request_id FROM pier_api.audit_log WHERE action = 'team.role_changed' AND object_id = $1",
      [account.address],
    );
    expect(rows).toEqual([
      {
        actor_type: "member",
        actor_id: ownerAccount.address,
        details: { before: { role: "support" }, after: { role: "developer" } },
        request_id: expect.stringMatching(/^req_/),
      },
    ]);
  });

  test("error: nobody grants a role above their own; only owners touch owners; others cannot manage the team", async () => {
    const admin = await join("admin");
    const other = await join("support");
    const invite = await as(admin.session).post("/v1/team/invitations", {
      address: wallet().address,
      role: "owner",
    });
    expect(invite.status).toBe(403);
    expect(invite.body.error).toMatchObject({ code: "role_grant_forbidden", param: "role" });
    const promote = await as(admin.session).post(`/v1/team/members/${other.account.address}`, {
      role: "owner",
    });
    expect(promote.body.error.code).toBe("role_grant_forbidden");
    const demoteOwner = await as(admin.session).post(`/v1/team/members/${ownerAccount.address}`, {
      role: "admin",
    });
    expect(demoteOwner.body.error.code).toBe("role_grant_forbidden");
    const removeOwner = await as(admin.session).delete(`/v1/team/members/${ownerAccount.address}`);
    expect(removeOwner.body.error.code).toBe("role_grant_forbidden");
    // An admin may make another admin.
    expect(
      (await as(admin.session).post(`/v1/team/members/${other.account.address}`, { role: "admin" })).status,
    ).toBe(200);
    // A support member may not touch the team at all.
    const support = await join("support");
    const self = await as(support.session).post(`/v1/team/members/${support.account.address}`, {
      role: "admin",
    });
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe("role_forbidden");
    expect((await as(owner).get("/v1/team/members")).body.data).toContainEqual(
      expect.objectContaining({ address: ownerAccount.address, role: "owner" }),
    );
  });

  test("error: the last owner can be neither demoted nor removed; with a second owner, it can", async () => {
    const demote = await as(owner).post(`/v1/team/members/${ownerAccount.address}`, { role: "admin" });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe("last_owner");
    const remove = await as(owner).delete(`/v1/team/members/${ownerAccount.address}`);
    expect(remove.status).toBe(409);
    expect(remove.body.error.code).toBe("last_owner");

    const second = await join("owner");
    expect(second.session.body.role).toBe("owner");
    const demoted = await as(second.session).post(`/v1/team/members/${ownerAccount.address}`, {
      role: "admin",
    });
    expect(demoted.status).toBe(200);
    const back = await as(second.session).post(`/v1/team/members/${ownerAccount.address}`, { role: "owner" });
    expect(back.status).toBe(200);
    owner = await dashboardSignIn(s.client, ownerAccount);
    expect(owner.body.role).toBe("owner");
  });

  test("behavior: two owners demoting each other at once: one wins, the merchant keeps an owner", async () => {
    // Exactly two owners: the original and a new one.
    for (const m of (await as(owner).get("/v1/team/members")).body.data) {
      if (m.role === "owner" && m.address !== ownerAccount.address)
        expect((await as(owner).post(`/v1/team/members/${m.address}`, { role: "admin" })).status).toBe(200);
    }
    const second = await join("owner");
    const [a, b] = await Promise.all([
      as(owner).post(`/v1/team/members/${second.account.address}`, { role: "admin" }),
      as(second.session).post(`/v1/team/members/${ownerAccount.address}`, { role: "admin" }),
    ]);
    // The loser is refused either as no longer an owner (its own demotion committed first) or as the
    // last owner's demoter, depending on which request took the member rows' lock first.
    const loser = [a, b].find((r) => r.status !== 200)!;
    expect([a, b].filter((r) => r.status === 200)).toHaveLength(1);
    expect(["role_grant_forbidden", "last_owner"]).toContain(loser.body.error.code);
    const { rows } = await s.stack.db.query(
      "SELECT address FROM pier_api.team_members WHERE merchant_id = $1 AND role = 'owner'",
      [s.merchantId],
    );
    expect(rows).toHaveLength(1);
    // Put the original owner back for the tests that follow.
    if (rows[0].address !== ownerAccount.address) {
      const restored = await as(second.session).post(`/v1/team/members/${ownerAccount.address}`, {
        role: "owner",
      });
      expect(restored.status).toBe(200);
    }
  });

  test("behavior: removing a member ends their sessions at once; they cannot sign in again; it is audited", async () => {
    const { account, session } = await join("developer");
    const second = await dashboardSignIn(s.client, account);
    expect((await as(session).get("/v1/orders")).status).toBe(200);
    const removed = await as(owner).delete(`/v1/team/members/${account.address}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ object: "team_member", address: account.address, deleted: true });
    for (const sess of [session, second]) {
      const res = await as(sess).get("/v1/orders");
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("session_invalid");
    }
    const { rows } = await s.stack.db.query(
      "SELECT count(*)::int AS n FROM pier_api.dashboard_sessions WHERE address = $1 AND revoked_at IS NULL",
      [account.address],
    );
    expect(rows[0].n).toBe(0);
    expect((await signInResponse(s.client, account)).body.error.code).toBe("not_merchant_member");
    const missing = await as(owner).delete(`/v1/team/members/${account.address}`);
    expect(missing.status).toBe(404);
    // Ids not in their format name nothing either: the same 404 as every other resource route.
    for (const res of [
      await as(owner).delete("/v1/team/members/not-an-address"),
      await as(owner).post("/v1/team/invitations/ord_0000000000000000000000/revoke", {}),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("resource_missing");
    }
    const entries = await s.stack.db.query(
      "SELECT actor_id, details FROM pier_api.audit_log WHERE action = 'team.member_removed' AND object_id = $1",
      [account.address],
    );
    expect(entries.rows).toEqual([
      { actor_id: ownerAccount.address, details: { before: { role: "developer" } } },
    ]);
  });

  test("behavior: passkeys are per member: the owner's passkey makes the owner's team changes need a step-up, not the admin's", async () => {
    const admin = await join("admin");
    await s.stack.db.query(
      "INSERT INTO pier_api.passkeys (id, merchant_id, name, public_key, address) VALUES ('team-test-credential', $1, 'test', '\\x00', $2)",
      [s.merchantId, ownerAccount.address],
    );
    try {
      const byOwner = await as(owner).post("/v1/team/invitations", {
        address: wallet().address,
        role: "support",
      });
      expect(byOwner.status).toBe(403);
      expect(byOwner.body.error.code).toBe("step_up_required");
      expect((await as(owner).get("/v1/team/members")).status).toBe(200);
      const byAdmin = await as(admin.session).post("/v1/team/invitations", {
        address: wallet().address,
        role: "support",
      });
      expect(byAdmin.status).toBe(200);
      expect((await as(admin.session).get("/v1/dashboard/session")).body.passkeys).toBe(0);
      expect((await as(owner).get("/v1/dashboard/session")).body.passkeys).toBe(1);
    } finally {
      await s.stack.db.query("DELETE FROM pier_api.passkeys WHERE id = 'team-test-credential'");
    }
  });

  test("behavior: a wallet in one team accepts another merchant's invitation by naming it at sign-in; teams stay apart", async () => {
    const { account, session } = await join("developer");
    const other = await s.newMerchant("Other shop");
    const otherOwner = await dashboardSignIn(s.client, ownerAccount, { merchant: other.merchantId });
    expect(otherOwner.body).toMatchObject({ role: "owner", merchant: { id: other.merchantId } });
    const invited = await as(otherOwner).post("/v1/team/invitations", {
      address: account.address,
      role: "accountant",
    });
    expect(invited.status).toBe(200);

    // Without `merchant`, the wallet's existing membership wins and the invitation stays open.
    const again = await dashboardSignIn(s.client, account);
    expect(again.body).toMatchObject({ role: "developer", merchant: { id: s.merchantId } });
    const accepted = await dashboardSignIn(s.client, account, { merchant: other.merchantId });
    expect(accepted.body).toMatchObject({ role: "accountant", merchant: { id: other.merchantId } });

    const mine = (await as(otherOwner).get("/v1/team/members")).body.data.map(
      (m: { address: string }) => m.address,
    );
    expect(mine).toEqual([ownerAccount.address, account.address]);
    expect((await as(session).get("/v1/team/members")).status).toBe(403);
    const foreign = await as(otherOwner).delete(
      `/v1/team/members/${(await join("support")).account.address}`,
    );
    expect(foreign.status).toBe(404);
  });

  test("behavior: API keys cannot use team routes, and keep working on merchant routes", async () => {
    const res = await s.client.get("/v1/team/members");
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("session_missing");
    expect((await s.client.get("/v1/keys")).status).toBe(200);
  });
});
