/** The dashboard's sign-in and step-up errors: one subclass per HTTP status, each with a stable code. */
import { ApiError } from "../errors.ts";

/** 400/401: a Sign-In with Ethereum message or a passkey response that cannot be accepted. */
export class SignInError extends ApiError {
  constructor(code: string, message: string, param?: string, statusCode: 400 | 401 = 400) {
    super(statusCode, statusCode === 401 ? "authentication_error" : "invalid_request_error", code, message, {
      param,
    });
  }
}

/** 403: a session may do this only after a fresh passkey assertion. */
export class StepUpRequiredError extends ApiError {
  constructor() {
    super(
      403,
      "permission_error",
      "step_up_required",
      "Confirm this action with your passkey first (POST /v1/dashboard/passkeys/authentication/options, then /verify)",
    );
  }
}
