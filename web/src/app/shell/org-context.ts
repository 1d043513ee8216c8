import { createContext, useContext } from 'react';
import type { Org } from '../../features/identity/types';

export const OrgContext = createContext<Org | null>(null);

export function useCurrentOrg(): Org {
  const org = useContext(OrgContext);
  if (!org) throw new Error('useCurrentOrg used outside OrgArea');
  return org;
}
