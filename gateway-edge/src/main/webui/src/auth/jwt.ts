/** The payload of a JWT, unverified (display only: the gateway verifies every token itself). */
export function jwtClaims(token: string | null | undefined): Record<string, unknown> {
  if (!token) return {};
  const parts = token.split('.');
  if (parts.length !== 3) return {};
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Keycloak's realm roles (`realm_access.roles`). */
export function realmRoles(token: string | null | undefined): string[] {
  const ra = jwtClaims(token).realm_access as { roles?: unknown } | undefined;
  return Array.isArray(ra?.roles) ? (ra!.roles as unknown[]).filter((r): r is string => typeof r === 'string') : [];
}
