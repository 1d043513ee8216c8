import { createContext, useContext, type ReactNode } from 'react';
import { Redirect, useLocation, useSearch } from 'wouter';
import { useMe } from '../features/identity/api';
import type { Me } from '../features/identity/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { FullPageSpinner } from '../components/Feedback';

const MeContext = createContext<Me | null>(null);

export function useSignedInMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useSignedInMe used outside RequireSession');
  return me;
}

export function RequireSession({ children }: { children: ReactNode }) {
  const { data: me, error, isPending } = useMe();
  const [location] = useLocation();
  const search = useSearch();

  if (isPending) return <FullPageSpinner />;
  if (error) {
    return (
      <div className="full-page-center">
        <ErrorAlert error={error} />
      </div>
    );
  }
  if (!me) {
    const next = location + (search ? `?${search}` : '');
    return <Redirect to={`/signin?next=${encodeURIComponent(next)}`} replace />;
  }
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>;
}

const LAST_ORG_KEY = 'toride.lastOrg';

export function rememberOrg(orgId: string): void {
  try {
    localStorage.setItem(LAST_ORG_KEY, orgId);
  } catch {
    // storage unavailable
  }
}

export function preferredOrgId(me: Me): string | null {
  let last: string | null = null;
  try {
    last = localStorage.getItem(LAST_ORG_KEY);
  } catch {
    last = null;
  }
  if (last && me.orgs.some((org) => org.id === last)) return last;
  return me.orgs[0]?.id ?? null;
}

export function homePath(me: Me): string {
  const first = me.orgs[0];
  return first ? `/orgs/${first.id}` : '/orgs/new';
}
