import { type ReactNode } from 'react';
import { NavLink, Navigate, Route, Routes, useLocation } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useAuth } from './auth/AuthContext';
import { ROUTES } from './routes';
import { SignIn } from './pages/SignIn';
import { Callback } from './pages/Callback';
import { WritingStudio } from './components/WritingStudio/WritingStudio';
import { Dictionary } from './components/Dictionary/Dictionary';
import { AISettings } from './pages/Settings/AISettings';
import { UsageStats } from './components/AI/UsageStats';
import { MyApiKeys } from './pages/Keys/MyApiKeys';
import { AdminProviders } from './pages/Admin/AdminProviders';
import { AdminCosts } from './pages/Admin/AdminCosts';
import { AdminUsage } from './pages/Admin/AdminUsage';
import { AdminQuotas } from './pages/Admin/AdminQuotas';
import { AdminAudit } from './pages/Admin/AdminAudit';
import { AdminHealth } from './pages/Admin/AdminHealth';

/** Admin role: from the token's realm roles, or (API key) asked of admin-service once. */
export function useIsAdmin(): boolean {
  const { session, roles, service } = useAuth();
  const probe = useQuery({
    queryKey: ['is-admin', session.kind === 'apiKey' ? session.key.slice(-8) : ''],
    queryFn: () => service.isAdmin(),
    enabled: session.kind === 'apiKey',
    staleTime: Infinity,
    retry: false,
  });
  if (session.kind === 'oidc') return roles.includes('admin');
  return session.kind === 'apiKey' && probe.data === true;
}

function RequireAuth({ children, admin = false }: { children: ReactNode; admin?: boolean }) {
  const { session, ready } = useAuth();
  const isAdmin = useIsAdmin();
  const location = useLocation();
  if (!ready) return <p aria-busy="true">Loading…</p>;
  if (session.kind === 'none') return <Navigate to={ROUTES.signIn} state={{ from: location.pathname }} replace />;
  if (admin && !isAdmin) return <p role="alert">This page needs the admin role.</p>;
  return <>{children}</>;
}

export function App() {
  const { session, who, signOut, ready } = useAuth();
  const isAdmin = useIsAdmin();
  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="container">
        <nav aria-label="Main">
          <ul><li><strong>AI Gateway</strong></li></ul>
          <ul>
            <li><NavLink to={ROUTES.writing}>Writing Studio</NavLink></li>
            <li><NavLink to={ROUTES.dictionary}>Dictionary</NavLink></li>
            <li><NavLink to={ROUTES.settings}>Settings</NavLink></li>
            <li><NavLink to={ROUTES.usage}>Usage</NavLink></li>
            <li><NavLink to={ROUTES.keys}>API keys</NavLink></li>
            {isAdmin && <li><NavLink to={ROUTES.adminProviders}>Providers</NavLink></li>}
            {isAdmin && <li><NavLink to={ROUTES.adminCosts}>Costs</NavLink></li>}
            {isAdmin && <li><NavLink to={ROUTES.adminUsage}>Analytics</NavLink></li>}
            {isAdmin && <li><NavLink to={ROUTES.adminQuotas}>Quotas</NavLink></li>}
            {isAdmin && <li><NavLink to={ROUTES.adminAudit}>Audit</NavLink></li>}
            {isAdmin && <li><NavLink to={ROUTES.adminHealth}>Health</NavLink></li>}
            {session.kind === 'none' ? (
              <li><NavLink to={ROUTES.signIn}>Sign in</NavLink></li>
            ) : (
              <li>
                <span className="who">{who}</span>{' '}
                <button type="button" className="secondary outline" onClick={() => void signOut()}>Sign out</button>
              </li>
            )}
          </ul>
        </nav>
      </header>
      <main id="main" className="container">
        <Routes>
          <Route path={ROUTES.home} element={!ready ? <p aria-busy="true">Loading…</p> : <Navigate to={session.kind === 'none' ? ROUTES.signIn : ROUTES.writing} replace />} />
          <Route path={ROUTES.signIn} element={<SignIn />} />
          <Route path={ROUTES.callback} element={<Callback />} />
          <Route path={ROUTES.writing} element={<RequireAuth><WritingStudio /></RequireAuth>} />
          <Route path={ROUTES.dictionary} element={<RequireAuth><Dictionary /></RequireAuth>} />
          <Route path={ROUTES.settings} element={<RequireAuth><AISettings /></RequireAuth>} />
          <Route path={ROUTES.usage} element={<RequireAuth><UsageStats /></RequireAuth>} />
          <Route path={ROUTES.keys} element={<RequireAuth><MyApiKeys /></RequireAuth>} />
          <Route path={ROUTES.adminProviders} element={<RequireAuth admin><AdminProviders /></RequireAuth>} />
          <Route path={ROUTES.adminCosts} element={<RequireAuth admin><AdminCosts /></RequireAuth>} />
          <Route path={ROUTES.adminUsage} element={<RequireAuth admin><AdminUsage /></RequireAuth>} />
          <Route path={ROUTES.adminQuotas} element={<RequireAuth admin><AdminQuotas /></RequireAuth>} />
          <Route path={ROUTES.adminAudit} element={<RequireAuth admin><AdminAudit /></RequireAuth>} />
          <Route path={ROUTES.adminHealth} element={<RequireAuth admin><AdminHealth /></RequireAuth>} />
          <Route path="*" element={<p>Page not found.</p>} />
        </Routes>
      </main>
    </>
  );
}
