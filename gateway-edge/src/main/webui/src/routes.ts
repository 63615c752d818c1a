/**
 * Every path of the single-page app. The edge serves index.html for exactly these (Quinoa's SPA routing) and
 * lets anonymous callers reach them: gateway-edge application.properties, permission `web-ui` (a test checks
 * that the two lists agree). Anything else stays behind the edge's deny-by-default rule.
 */
export const ROUTES = {
  home: '/',
  signIn: '/signin',
  callback: '/callback',
  writing: '/writing',
  dictionary: '/dictionary',
  settings: '/settings',
  usage: '/usage',
  keys: '/keys',
  adminProviders: '/admin/providers',
  adminCosts: '/admin/costs',
  adminUsage: '/admin/usage',
  adminQuotas: '/admin/quotas',
  adminAudit: '/admin/audit',
  adminHealth: '/admin/health',
} as const;
