// The app shell: checks the session, sends anonymous users (and any 401) to the login page, and
// renders the page the URL names.
import { useCallback, useEffect, useState } from 'react';
import type { Session } from '../../api/contract.ts';
import { api, ApiError, errorText, setCsrfToken, setUnauthorizedHandler } from './lib/api.ts';
import { matchRoute, navigate, paths, useLocation } from './lib/router.ts';
import { AppHeader } from './components/AppHeader.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { RunsPage } from './pages/RunsPage.tsx';
import { RunDetailPage } from './pages/RunDetailPage.tsx';
import { ComparePage } from './pages/ComparePage.tsx';
import { NewRunPage } from './pages/NewRunPage.tsx';

export const SESSION_EXPIRED = 'session expired, please log in again';
/** Set while logged in, so a reload after the session timed out can say so. */
const HAD_SESSION = 'sealed.hadSession';

type AuthState =
  | { status: 'checking' }
  | { status: 'error'; message: string }
  | { status: 'anonymous'; notice?: string }
  | { status: 'signed-in'; session: Session };

function currentPath(): string {
  return window.location.pathname + window.location.search;
}

function safeNext(search: string): string {
  const next = new URLSearchParams(search).get('next') ?? '/';
  // Only same-origin paths: never `//host` or a scheme.
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

function remember(signedIn: boolean): void {
  try {
    if (signedIn) window.sessionStorage.setItem(HAD_SESSION, '1');
    else window.sessionStorage.removeItem(HAD_SESSION);
  } catch {
    // storage disabled: no "session expired" notice after a reload, nothing else
  }
}

function hadSession(): boolean {
  try {
    return window.sessionStorage.getItem(HAD_SESSION) === '1';
  } catch {
    return false;
  }
}

export function App() {
  const location = useLocation();
  const route = matchRoute(location);
  const [auth, setAuth] = useState<AuthState>({ status: 'checking' });
  const [attempt, setAttempt] = useState(0);

  const signOut = useCallback((notice?: string) => {
    setCsrfToken('');
    remember(false);
    setAuth({ status: 'anonymous', notice });
    const here = currentPath();
    if (!here.startsWith('/login')) navigate(paths.login(notice ? here : undefined), { replace: true });
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => signOut(SESSION_EXPIRED));
    return () => setUnauthorizedHandler(undefined);
  }, [signOut]);

  useEffect(() => {
    const controller = new AbortController();
    api.session(controller.signal).then(
      (session) => {
        setCsrfToken(session.csrfToken);
        remember(true);
        setAuth({ status: 'signed-in', session });
      },
      (e: unknown) => {
        if (controller.signal.aborted) return;
        if (e instanceof ApiError && e.status === 401) {
          const notice = hadSession() ? SESSION_EXPIRED : undefined;
          remember(false);
          setAuth({ status: 'anonymous', notice });
        } else setAuth({ status: 'error', message: errorText(e) });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  // Anonymous users see the login page, and the login page is only for them.
  useEffect(() => {
    if (auth.status === 'anonymous' && route.page !== 'login') navigate(paths.login(currentPath()), { replace: true });
    if (auth.status === 'signed-in' && route.page === 'login') navigate(safeNext(location.search), { replace: true });
  }, [auth.status, route.page, location.search]);

  const onLoggedIn = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    remember(true);
    setAuth({ status: 'signed-in', session });
  }, []);

  const onLogout = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // the session is gone either way: the server clears it, or it had already expired
    }
    signOut();
    navigate(paths.login(), { replace: true });
  }, [signOut]);

  if (auth.status === 'checking') return <div className="app-loading" aria-busy="true">Loading…</div>;
  if (auth.status === 'error')
    return (
      <div className="app-fatal" role="alert">
        <h1>The dashboard server cannot be reached</h1>
        <p>{auth.message}</p>
        <button type="button" className="button" onClick={() => setAttempt((a) => a + 1)}>
          Try again
        </button>
      </div>
    );
  if (auth.status === 'anonymous' || route.page === 'login')
    return <LoginPage notice={auth.status === 'anonymous' ? auth.notice : undefined} onLoggedIn={onLoggedIn} />;

  return (
    <div className="app">
      <AppHeader user={auth.session.user} onLogout={onLogout} />
      <main className="app-main">
        {route.page === 'runs' && <RunsPage />}
        {route.page === 'run' && <RunDetailPage key={route.id} runId={route.id} />}
        {route.page === 'compare' && <ComparePage ids={route.ids} />}
        {route.page === 'new-run' && <NewRunPage />}
        {route.page === 'not-found' && (
          <section className="page">
            <h1 className="page-title">Page not found</h1>
            <p>
              Nothing lives at <code>{location.pathname}</code>. <a href="/">Back to the runs</a>.
            </p>
          </section>
        )}
      </main>
    </div>
  );
}
