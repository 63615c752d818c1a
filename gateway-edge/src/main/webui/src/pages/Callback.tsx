import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../auth/AuthContext';

/** The OIDC redirect target: exchanges the code (with the PKCE verifier) for tokens, then returns. */
export function Callback() {
  const { completeSignIn } = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const once = useRef(false);
  useEffect(() => {
    if (once.current) return;
    once.current = true;
    completeSignIn()
      .then((to) => navigate(to, { replace: true }))
      .catch((e: Error) => setError(e.message));
  }, [completeSignIn, navigate]);
  return error ? (
    <p role="alert" className="error">Sign-in failed: {error} <Link to="/signin">Try again</Link></p>
  ) : (
    <p aria-busy="true">Signing in…</p>
  );
}
