/**
 * The payload of a JWT access token, read for a diagnosis only (which app permissions, which audience):
 * no signature is checked, so nothing read here may grant anything. Undefined for an opaque token.
 */
export function readTokenClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    return typeof payload === "object" && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Entra ID lists an app token's application permissions in `roles`; a token without any has no such claim. */
export function appRoles(claims: Record<string, unknown>): string[] {
  const roles = claims.roles;
  return Array.isArray(roles) ? roles.filter((role): role is string => typeof role === "string").slice(0, 100).map((role) => role.slice(0, 100)) : [];
}
