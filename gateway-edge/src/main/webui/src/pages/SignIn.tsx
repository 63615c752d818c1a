import { useId, useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth/AuthContext';

/** Sign in through the identity provider (OIDC code + PKCE), or paste an API key. */
export function SignIn() {
  const { config, signInWithKey, signInWithOidc } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const returnTo = (location.state as { from?: string } | null)?.from ?? '/writing';
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const keyId = useId();

  const submitKey = (e: FormEvent) => {
    e.preventDefault();
    if (!key.trim().startsWith('aigw_')) {
      setError('An API key starts with aigw_.');
      return;
    }
    signInWithKey(key);
    navigate(returnTo, { replace: true });
  };

  return (
    <section aria-labelledby="signin-title" className="signin">
      <h1 id="signin-title">Sign in</h1>
      {config.oidcIssuer ? (
        <article>
          <p>With your account (Keycloak):</p>
          <button type="button" onClick={() => signInWithOidc(returnTo).catch((e: Error) => setError(e.message))}>
            Sign in with your account
          </button>
        </article>
      ) : (
        <p><small>Sign-in with an account is not configured on this gateway (no OIDC issuer): use an API key.</small></p>
      )}
      <article>
        <form onSubmit={submitKey}>
          <label htmlFor={keyId}>Or paste an API key</label>
          <input id={keyId} type="password" autoComplete="off" placeholder="aigw_…" value={key}
            onChange={(e) => setKey(e.target.value)} required />
          <small>Kept in this tab only (sessionStorage).</small>
          <button type="submit">Use this key</button>
        </form>
      </article>
      {error && <p role="alert" className="error">{error}</p>}
    </section>
  );
}
