/**
 * Team: the merchant's members and their roles (change a role, remove a member), invitations by wallet
 * address and the pending ones. Controls show only for what the signed-in role may do: team:write to
 * manage, team:owners to touch owners; the API enforces the same (and the last-owner rule).
 */

import type { Page } from "@pier/client";
import type { DashboardRole, DashboardSession, TeamInvitation, TeamMember } from "@pier/client/types";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { apiDelete, apiGet, apiPost, errorText } from "../../../lib/dashboardApi.ts";
import { formatDateTime, shortHex } from "../../../lib/format.ts";
import { ConfirmDialog } from "../ConfirmDialog.tsx";
import { useCan } from "../permissions.ts";
import { SESSION_KEY } from "../servedNetworks.ts";

const MEMBERS = ["dashboard", "team", "members"];
const INVITATIONS = ["dashboard", "team", "invitations"];

export const ROLE_LABELS: Record<DashboardRole, string> = {
  owner: "Owner",
  admin: "Admin",
  developer: "Developer",
  support: "Support",
  accountant: "Accountant",
};
const ROLE_NAMES = Object.keys(ROLE_LABELS) as DashboardRole[];

export default function TeamSection() {
  const can = useCan();
  const me = useQueryClient().getQueryData<DashboardSession | null>(SESSION_KEY);
  // Nobody grants a role above their own: only owners grant owner.
  const grantable = ROLE_NAMES.filter((r) => r !== "owner" || can("team:owners"));
  return (
    <>
      <Members grantable={grantable} myAddress={me?.address} />
      {can("team:write") && <Invite grantable={grantable} />}
      <Invitations />
    </>
  );
}

function Members({ grantable, myAddress }: { grantable: DashboardRole[]; myAddress?: string }) {
  const client = useQueryClient();
  const can = useCan();
  const [removing, setRemoving] = useState<TeamMember>();
  const members = useQuery({
    queryKey: MEMBERS,
    queryFn: () => apiGet<Page<TeamMember>>("/v1/team/members"),
  });
  const change = useMutation({
    mutationFn: ({ address, role }: { address: string; role: DashboardRole }) =>
      apiPost<TeamMember>(`/v1/team/members/${address}`, { role }),
    onSettled: () => client.invalidateQueries({ queryKey: ["dashboard", "team"] }),
  });
  const owners = members.data?.data.filter((m) => m.role === "owner").length ?? 0;
  // The last owner can be neither demoted nor removed (the API answers 409 last_owner): no controls.
  const manages = (m: TeamMember) =>
    can("team:write") && (m.role !== "owner" || (can("team:owners") && owners > 1));

  return (
    <section aria-labelledby="members-title" className="card">
      <h2 id="members-title">Team members</h2>
      {(members.error || change.error) && (
        <p className="error" role="alert">
          {errorText(members.error ?? change.error)}
        </p>
      )}
      <div className="table-wrap">
        <table data-testid="team-members">
          <caption className="sr-only">Members of this merchant's team and their roles</caption>
          <thead>
            <tr>
              <th scope="col">Wallet</th>
              <th scope="col">Role</th>
              <th scope="col">Member since</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {members.data?.data.map((m) => (
              <tr key={m.address} data-testid="team-member" data-address={m.address}>
                <th scope="row">
                  <code title={m.address}>{shortHex(m.address)}</code>
                  {m.address === myAddress && <span className="muted"> (you)</span>}
                </th>
                <td>
                  {manages(m) ? (
                    <select
                      aria-label={`Role of ${m.address}`}
                      value={m.role}
                      disabled={change.isPending}
                      onChange={(e) =>
                        change.mutate({ address: m.address, role: e.target.value as DashboardRole })
                      }
                    >
                      {(grantable.includes(m.role) ? grantable : [m.role, ...grantable]).map((r) => (
                        <option key={r} value={r}>
                          {ROLE_LABELS[r]}
                        </option>
                      ))}
                    </select>
                  ) : (
                    ROLE_LABELS[m.role]
                  )}
                </td>
                <td>{formatDateTime(m.created)}</td>
                <td>
                  {manages(m) && (
                    <button
                      type="button"
                      className="button danger"
                      aria-label={`Remove ${m.address}`}
                      onClick={() => setRemoving(m)}
                    >
                      Remove…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {removing && (
        <ConfirmDialog
          title={`Remove ${shortHex(removing.address)}?`}
          confirmLabel="Remove member"
          danger
          onClose={() => setRemoving(undefined)}
          onConfirm={async () => {
            await apiDelete(`/v1/team/members/${removing.address}`);
            await client.invalidateQueries({ queryKey: ["dashboard", "team"] });
          }}
        >
          <p>
            Their dashboard sessions end now and their passkeys are deleted. You can invite the wallet again.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function Invite({ grantable }: { grantable: DashboardRole[] }) {
  const client = useQueryClient();
  const ids = { address: useId(), role: useId() };
  const [address, setAddress] = useState("");
  const [role, setRole] = useState<DashboardRole>("developer");
  const invite = useMutation({
    mutationFn: () => apiPost<TeamInvitation>("/v1/team/invitations", { address: address.trim(), role }),
    onSuccess: () => {
      setAddress("");
      return client.invalidateQueries({ queryKey: INVITATIONS });
    },
  });
  return (
    <section aria-labelledby="invite-title" className="card">
      <h2 id="invite-title">Invite a member</h2>
      <p className="muted small">
        The wallet joins by signing in to this dashboard within 7 days. Inviting it again replaces the
        invitation.
      </p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          invite.mutate();
        }}
      >
        <label htmlFor={ids.address}>Wallet address</label>
        <input
          id={ids.address}
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          pattern="^0x[0-9a-fA-F]{40}$"
          placeholder="0x…"
          spellCheck={false}
          autoComplete="off"
          required
        />
        <label htmlFor={ids.role}>Role</label>
        <select id={ids.role} value={role} onChange={(e) => setRole(e.target.value as DashboardRole)}>
          {grantable.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
        <button type="submit" className="button primary" disabled={invite.isPending}>
          Invite
        </button>
      </form>
      {invite.error && (
        <p className="error" role="alert">
          {errorText(invite.error)}
        </p>
      )}
    </section>
  );
}

function Invitations() {
  const client = useQueryClient();
  const can = useCan();
  const invitations = useQuery({
    queryKey: INVITATIONS,
    queryFn: () => apiGet<Page<TeamInvitation>>("/v1/team/invitations?limit=100"),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => apiPost<TeamInvitation>(`/v1/team/invitations/${id}/revoke`),
    onSettled: () => client.invalidateQueries({ queryKey: INVITATIONS }),
  });
  const rows = invitations.data?.data ?? [];
  return (
    <section aria-labelledby="invitations-title" className="card">
      <h2 id="invitations-title">Pending invitations</h2>
      {(invitations.error || revoke.error) && (
        <p className="error" role="alert">
          {errorText(invitations.error ?? revoke.error)}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="muted">No pending invitations.</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="team-invitations">
            <caption className="sr-only">Invitations not yet accepted</caption>
            <thead>
              <tr>
                <th scope="col">Wallet</th>
                <th scope="col">Role</th>
                <th scope="col">Invited by</th>
                <th scope="col">Expires</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((i) => (
                <tr key={i.id} data-testid="team-invitation" data-address={i.address}>
                  <th scope="row">
                    <code title={i.address}>{shortHex(i.address)}</code>
                  </th>
                  <td>{ROLE_LABELS[i.role]}</td>
                  <td>
                    <code title={i.invited_by}>{shortHex(i.invited_by)}</code>
                  </td>
                  <td>{formatDateTime(i.expires_at)}</td>
                  <td>
                    {can("team:write") && (i.role !== "owner" || can("team:owners")) && (
                      <button
                        type="button"
                        className="button"
                        aria-label={`Revoke the invitation of ${i.address}`}
                        disabled={revoke.isPending}
                        onClick={() => revoke.mutate(i.id)}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
