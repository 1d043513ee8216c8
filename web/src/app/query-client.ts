import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { navigate } from 'wouter/use-browser-location';
import { ApiError } from '../lib/api';
import { meKey } from '../features/identity/api';

const PUBLIC_PREFIXES = ['/signin', '/signup', '/verify-email', '/forgot-password', '/reset-password', '/invite/', '/operator'];

function isPublicPath(pathname: string): boolean {
  return PUBLIC_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`));
}

export function createQueryClient(): QueryClient {
  const onError = (error: unknown) => {
    if (!(error instanceof ApiError) || error.status !== 401 || error.code !== 'auth.unauthenticated') return;
    const { pathname, search } = window.location;
    if (isPublicPath(pathname)) return;
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== meKey[0] && q.queryKey[0] !== 'operator' });
    client.setQueryData(meKey, null);
    navigate(`/signin?next=${encodeURIComponent(pathname + search)}`, { replace: true });
  };

  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        retry: (failureCount, error) => {
          if (error instanceof ApiError && error.status > 0 && error.status < 500) return false;
          return failureCount < 2;
        },
      },
      mutations: { retry: false },
    },
  });
  return client;
}
