/** Restrictions table of the projects store (migration 20261126T2305-restrictions). */
export type SpaceRestriction = 'add_issues_only' | 'view_only';

export interface SpaceRestrictionTable {
  org_id: string;
  account_id: string;
  restriction: SpaceRestriction;
  updated_at: string;
}

export interface RoleTables {
  space_restrictions: SpaceRestrictionTable;
}
