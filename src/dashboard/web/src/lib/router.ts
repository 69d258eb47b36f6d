// A small history router: the location as React state, navigate(), and route matching. The
// server answers every non-/api path with index.html, so deep links and reloads work.
import { useSyncExternalStore } from 'react';

const CHANGE = 'sealed:navigate';

export interface Location {
  pathname: string;
  search: string;
}

function subscribe(callback: () => void): () => void {
  window.addEventListener('popstate', callback);
  window.addEventListener(CHANGE, callback);
  return () => {
    window.removeEventListener('popstate', callback);
    window.removeEventListener(CHANGE, callback);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot);
  const q = href.indexOf('?');
  return q < 0 ? { pathname: href, search: '' } : { pathname: href.slice(0, q), search: href.slice(q) };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGE));
  if (!options.replace) window.scrollTo(0, 0);
}

/** Changes one query parameter of the current URL in place (no new history entry). */
export function setQueryParam(name: string, value: string | undefined): void {
  const params = new URLSearchParams(window.location.search);
  if (value === undefined) params.delete(name);
  else params.set(name, value);
  const search = params.toString();
  navigate(window.location.pathname + (search ? `?${search}` : ''), { replace: true });
}

export type Route =
  | { page: 'login' }
  | { page: 'runs' }
  | { page: 'run'; id: string }
  | { page: 'compare'; ids: string[] }
  | { page: 'new-run' }
  | { page: 'not-found' };

export function matchRoute(location: Location): Route {
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const params = new URLSearchParams(location.search);
  if (path === '/login') return { page: 'login' };
  if (path === '/' || path === '/runs') return { page: 'runs' };
  if (path === '/new-run') return { page: 'new-run' };
  const run = /^\/runs\/([^/]+)$/.exec(path);
  if (run) return { page: 'run', id: decodeURIComponent(run[1]) };
  const compare = /^\/compare(?:\/([^/]+))?$/.exec(path);
  if (compare) {
    const list = compare[1] !== undefined ? decodeURIComponent(compare[1]) : (params.get('ids') ?? '');
    const ids = [...new Set(list.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
    return { page: 'compare', ids };
  }
  return { page: 'not-found' };
}

export const paths = {
  runs: () => '/',
  run: (id: string, task?: string) => `/runs/${encodeURIComponent(id)}${task ? `?task=${encodeURIComponent(task)}` : ''}`,
  compare: (ids: string[]) => `/compare?ids=${ids.map(encodeURIComponent).join(',')}`,
  newRun: () => '/new-run',
  login: (next?: string) => (next && next !== '/' && next !== '/login' ? `/login?next=${encodeURIComponent(next)}` : '/login'),
};
