import { createContext, useContext, useEffect, useState, type MouseEvent, type ReactNode } from 'react';

const Ctx = createContext<{ path: string; navigate: (to: string) => void }>({
  path: '/',
  navigate: () => {},
});
const BASE = '/console';

/** The path below /console ("/people/…"), with the query string. */
function current(): string {
  const p = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : '/';
  return (p || '/') + window.location.search;
}

export function Router({ children }: { children: ReactNode }) {
  const [path, setPath] = useState(current);
  useEffect(() => {
    const onPop = () => setPath(current());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = (to: string) => {
    window.history.pushState(null, '', BASE + to);
    setPath(current());
  };
  return <Ctx.Provider value={{ path, navigate }}>{children}</Ctx.Provider>;
}

export function useRouter() {
  return useContext(Ctx);
}

/** A real link (works with a middle click and the keyboard) that navigates in place. */
export function Link({
  to,
  children,
  className,
  ...rest
}: {
  to: string;
  children: ReactNode;
  className?: string;
  'aria-current'?: 'page' | undefined;
}) {
  const { navigate } = useRouter();
  const onClick = (e: MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={BASE + to} onClick={onClick} className={className} {...rest}>
      {children}
    </a>
  );
}

/** Matches "/people/:id" against a path; returns the params or undefined. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const [pathname] = path.split('?');
  const a = pattern.split('/');
  const b = pathname.replace(/\/$/, '').split('/');
  if (pattern === '/' && (pathname === '/' || pathname === '')) return {};
  if (a.length !== b.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i].startsWith(':')) params[a[i].slice(1)] = decodeURIComponent(b[i]);
    else if (a[i] !== b[i]) return undefined;
  }
  return params;
}
