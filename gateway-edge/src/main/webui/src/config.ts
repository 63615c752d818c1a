/**
 * Run-time settings of the UI, served by the edge at /config.json (gateway-edge `ui/UiConfigHandler`):
 * the OIDC issuer (AIGW_OIDC_ISSUER; null = API keys only), the UI's OIDC client and admin-service's URL.
 */
export interface UiConfig {
  oidcIssuer: string | null;
  oidcClientId: string;
  adminUrl: string;
}

export const DEFAULT_CONFIG: UiConfig = { oidcIssuer: null, oidcClientId: 'aigw-ui', adminUrl: '' };

export async function loadConfig(fetchImpl: typeof fetch = fetch): Promise<UiConfig> {
  try {
    const res = await fetchImpl('/config.json', { headers: { accept: 'application/json' } });
    if (!res.ok) return DEFAULT_CONFIG;
    const c = (await res.json()) as Partial<UiConfig>;
    return {
      oidcIssuer: c.oidcIssuer || null,
      oidcClientId: c.oidcClientId || DEFAULT_CONFIG.oidcClientId,
      adminUrl: (c.adminUrl || '').replace(/\/$/, ''),
    };
  } catch {
    return DEFAULT_CONFIG;
  }
}
