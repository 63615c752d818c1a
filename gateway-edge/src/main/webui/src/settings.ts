import { POLICIES, type RoutePolicy } from './services/ai.service';

/**
 * The routing policy the UI asks for (`policy` of /api/v1/ai/generate). The gateway stores preferred models per
 * context (preferences API) but no per-user policy, so this one is kept in the browser (localStorage).
 */
const POLICY_KEY = 'aigw.policy';

export function getPolicy(): RoutePolicy {
  const v = localStorage.getItem(POLICY_KEY);
  return (POLICIES as string[]).includes(v ?? '') ? (v as RoutePolicy) : 'user-preference';
}

export function setPolicy(p: RoutePolicy | null): void {
  if (p) localStorage.setItem(POLICY_KEY, p);
  else localStorage.removeItem(POLICY_KEY);
}
