/** Team errors with stable codes: a role lacking a permission, grants above one's own, the last owner. */
import { ApiError } from "../errors.ts";
import type { Permission, Role } from "./roles.ts";

/** 403: the signed-in member's role does not include the route's permission. */
export class RoleForbiddenError extends ApiError {
  constructor(role: Role, permission: Permission) {
    super(
      403,
      "permission_error",
      "role_forbidden",
      `The ${role} role lacks the '${permission}' permission needed here: ask an owner or admin of this merchant`,
    );
  }
}

/** 403: granting (or taking away) a role the acting member's own role does not cover. */
export class RoleGrantError extends ApiError {
  constructor(message: string) {
    super(403, "permission_error", "role_grant_forbidden", message, { param: "role" });
  }
}

/** 409: the merchant would be left without an owner. */
export class LastOwnerError extends ApiError {
  constructor(action: "removed" | "demoted") {
    super(
      409,
      "invalid_request_error",
      "last_owner",
      `The last owner cannot be ${action}: make another member owner first`,
    );
  }
}
