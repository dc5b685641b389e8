/**
 * The dashboard session cookie as every sign-in sets it and sign-out clears it: HttpOnly, SameSite=Strict,
 * sent to the API's /v1 routes only, Secure when the dashboard is served over https.
 */
import type { FastifyReply } from "fastify";
import { SESSION_COOKIE, SESSION_TTL_SECONDS } from "./sessions.ts";

const attributes = (secure: boolean) => ({
  path: "/v1",
  httpOnly: true,
  sameSite: "strict" as const,
  secure,
});

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { ...attributes(secure), maxAge: SESSION_TTL_SECONDS });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, attributes(secure));
}
