/**
 * Passkey ceremonies in the browser (SimpleWebAuthn): register a new passkey, and step the session up by
 * asserting one; the API verifies both (/v1/dashboard/passkeys/*).
 */

import type { DashboardSession, Passkey } from "@pier/client/types";
import { startAuthentication, startRegistration } from "@simplewebauthn/browser";
import { apiPost } from "../../lib/dashboardApi.ts";

export async function registerPasskey(name: string): Promise<Passkey> {
  const optionsJSON = await apiPost<Parameters<typeof startRegistration>[0]["optionsJSON"]>(
    "/v1/dashboard/passkeys/registration/options",
  );
  const response = await startRegistration({ optionsJSON });
  return apiPost<Passkey>("/v1/dashboard/passkeys/registration/verify", { response, name });
}

export async function stepUpWithPasskey(): Promise<DashboardSession> {
  const optionsJSON = await apiPost<Parameters<typeof startAuthentication>[0]["optionsJSON"]>(
    "/v1/dashboard/passkeys/authentication/options",
  );
  const response = await startAuthentication({ optionsJSON });
  return apiPost<DashboardSession>("/v1/dashboard/passkeys/authentication/verify", { response });
}
