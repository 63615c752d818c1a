import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import { AiService } from '../services/ai.service';
import type { UiConfig } from '../config';
import { jwtClaims, realmRoles } from './jwt';

/**
 * Who is signed in, and the {@link AiService} that calls the gateway with their credential:
 * - OIDC: authorization code + PKCE (S256) against the issuer from /config.json, client `aigw-ui`
 *   (oidc-client-ts; tokens kept in sessionStorage, renewed with the refresh token);
 * - or an API key pasted by the user (kept in sessionStorage only, gone with the tab).
 */
export type Session =
  | { kind: 'none' }
  | { kind: 'apiKey'; key: string }
  | { kind: 'oidc'; user: User };

export interface Auth {
  config: UiConfig;
  /** false until a stored OIDC session has been looked for (a reload must not look signed out) */
  ready: boolean;
  session: Session;
  service: AiService;
  /** display name: preferred_username for OIDC, "API key …abcd" for a key */
  who: string | null;
  /** realm roles of an OIDC token; empty for API keys (unknown) */
  roles: string[];
  signInWithKey(key: string): void;
  signInWithOidc(returnTo?: string): Promise<void>;
  completeSignIn(): Promise<string>;
  signOut(): Promise<void>;
}

const KEY_STORAGE = 'aigw.apiKey';
export const AuthCtx = createContext<Auth | null>(null);

export function userManagerFor(config: UiConfig): UserManager | null {
  if (!config.oidcIssuer) return null;
  const origin = window.location.origin;
  return new UserManager({
    authority: config.oidcIssuer,
    client_id: config.oidcClientId,
    redirect_uri: origin + '/callback',
    post_logout_redirect_uri: origin + '/',
    response_type: 'code',
    scope: 'openid profile',
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: true,
  });
}

export function AuthProvider({ config, children, userManager }: { config: UiConfig; children: ReactNode; userManager?: UserManager | null }) {
  const um = useMemo(() => (userManager !== undefined ? userManager : userManagerFor(config)), [config, userManager]);
  const [session, setSession] = useState<Session>(() => {
    const key = sessionStorage.getItem(KEY_STORAGE);
    return key ? { kind: 'apiKey', key } : { kind: 'none' };
  });
  const [ready, setReady] = useState(() => !um || session.kind !== 'none');
  const sessionRef = useRef(session);
  sessionRef.current = session;

  useEffect(() => {
    if (!um) return;
    let live = true;
    um.getUser()
      .then((u) => {
        if (live && u && !u.expired && sessionRef.current.kind === 'none') setSession({ kind: 'oidc', user: u });
      })
      .finally(() => live && setReady(true));
    const loaded = (u: User) => setSession((s) => (s.kind === 'apiKey' ? s : { kind: 'oidc', user: u }));
    const gone = () => setSession((s) => (s.kind === 'oidc' ? { kind: 'none' } : s));
    um.events.addUserLoaded(loaded);
    um.events.addUserUnloaded(gone);
    um.events.addSilentRenewError(gone);
    return () => {
      live = false;
      um.events.removeUserLoaded(loaded);
      um.events.removeUserUnloaded(gone);
      um.events.removeSilentRenewError(gone);
    };
  }, [um]);

  const service = useMemo(
    () =>
      new AiService({
        adminUrl: config.adminUrl,
        getToken: () => {
          const s = sessionRef.current;
          if (s.kind === 'apiKey') return s.key;
          if (s.kind === 'oidc') return s.user.access_token;
          return null;
        },
      }),
    [config.adminUrl],
  );

  const signInWithKey = useCallback((key: string) => {
    const k = key.trim();
    sessionStorage.setItem(KEY_STORAGE, k);
    setSession({ kind: 'apiKey', key: k });
  }, []);

  const signInWithOidc = useCallback(
    async (returnTo = '/') => {
      if (!um) throw new Error('Sign-in with an identity provider is not configured (AIGW_OIDC_ISSUER).');
      await um.signinRedirect({ state: { returnTo } });
    },
    [um],
  );

  const completeSignIn = useCallback(async () => {
    if (!um) throw new Error('Sign-in with an identity provider is not configured.');
    const user = await um.signinRedirectCallback();
    sessionStorage.removeItem(KEY_STORAGE);
    setSession({ kind: 'oidc', user });
    const returnTo = (user.state as { returnTo?: string } | undefined)?.returnTo;
    return returnTo && returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/';
  }, [um]);

  const signOut = useCallback(async () => {
    const s = sessionRef.current;
    sessionStorage.removeItem(KEY_STORAGE);
    setSession({ kind: 'none' });
    if (s.kind === 'oidc' && um) {
      await um.removeUser();
      await um.signoutRedirect({ id_token_hint: s.user.id_token }).catch(() => undefined);
    }
  }, [um]);

  const value = useMemo<Auth>(() => {
    let who: string | null = null;
    let roles: string[] = [];
    if (session.kind === 'apiKey') who = 'API key …' + session.key.slice(-4);
    if (session.kind === 'oidc') {
      const claims = jwtClaims(session.user.access_token);
      who = (claims.preferred_username as string) ?? (session.user.profile.preferred_username as string) ?? session.user.profile.sub;
      roles = realmRoles(session.user.access_token);
    }
    return { config, ready, session, service, who, roles, signInWithKey, signInWithOidc, completeSignIn, signOut };
  }, [config, ready, session, service, signInWithKey, signInWithOidc, completeSignIn, signOut]);

  return <AuthCtx.Provider value={value}>{children}</AuthCtx.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(AuthCtx);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}
