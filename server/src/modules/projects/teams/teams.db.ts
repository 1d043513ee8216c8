import type { Generated, Selectable } from 'kysely';

/** Team tables of the projects store (migration 20261127T0317-teams). */
export interface SpaceTeamTable {
  id: Generated<number>;
  org_id: string;
  /** An organization's team in identity, numbered here for Backlog clients; null for a classic team. */
  identity_team_id: string | null;
  /** A classic team's name; identity teams keep theirs in identity. */
  name: string | null;
  created_user_id: number | null;
  created_at: string;
  /** Who last changed the team through `/api/v2` (identity does not record it). */
  updated_user_id: number | null;
  updated_at: string;
}

export interface SpaceTeamMemberTable {
  org_id: string;
  team_id: number;
  user_id: number;
}

export interface ProjectTeamTable {
  org_id: string;
  project_id: number;
  team_id: number;
  created_at: string;
}

export interface TeamTables {
  space_teams: SpaceTeamTable;
  space_team_members: SpaceTeamMemberTable;
  project_teams: ProjectTeamTable;
}

export type SpaceTeamRow = Selectable<SpaceTeamTable>;
