// Client routes live in the URL fragment (#/instances/42), so the server only ever serves
// index.html at "/" and reloading any page works without a server-side fallback.
import { useEffect, useState } from 'react';

export function currentRoute(): string[] {
  const path = window.location.hash.replace(/^#\/?/, '').split('?')[0];
  return path.split('/').filter(Boolean).map(decodeURIComponent);
}

/** The query part of the fragment: #/instances?processId=x. */
export function routeQuery(): URLSearchParams {
  return new URLSearchParams(window.location.hash.split('?')[1] ?? '');
}

export function useRoute(): string[] {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function go(path: string): void {
  window.location.hash = path;
}

export function href(path: string): string {
  return `#${path}`;
}
