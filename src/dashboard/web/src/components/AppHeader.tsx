import { Link } from './Link.tsx';
import { paths, useLocation } from '../lib/router.ts';

export function AppHeader({ user, onLogout }: { user: string; onLogout: () => void }) {
  const { pathname } = useLocation();
  const runsActive = pathname === '/' || pathname.startsWith('/runs') || pathname.startsWith('/compare');
  return (
    <header className="app-header">
      <div className="app-header__inner">
        <Link to={paths.runs()} className="brand" aria-label="Sealed Pipelines: runs">
          <img src="/favicon.svg" alt="" width={22} height={22} />
          <span>Sealed Pipelines</span>
        </Link>
        <nav className="app-nav" aria-label="Main">
          <Link to={paths.runs()} className={runsActive ? 'app-nav__link is-active' : 'app-nav__link'}>
            Runs
          </Link>
          <Link to={paths.newRun()} className={pathname === '/new-run' ? 'app-nav__link is-active' : 'app-nav__link'}>
            New run
          </Link>
        </nav>
        <div className="app-header__user">
          <span className="app-header__name" title="Signed in as">
            {user}
          </span>
          <button type="button" className="button button--quiet" data-testid="logout" onClick={onLogout}>
            Log out
          </button>
        </div>
      </div>
    </header>
  );
}
