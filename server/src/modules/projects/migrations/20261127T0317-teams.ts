import type { Kysely } from 'kysely';
import { autoIncrementPrimaryKey } from '../../../kernel/dialect';

// Frozen in time: never import application code here. Teams of a project space (W5.2, Backlog `Team`):
// - `space_teams` numbers every team for Backlog clients. In an organization's space a row only maps an
//   identity team (`identity_team_id`; name and members live in identity, the one source of truth);
//   in a classic space a row with `identity_team_id` null IS the team (space-local, named here).
// - `space_team_members`: a classic team's members, and for identity teams a mirror of identity's
//   membership in space-user numbers, so that project membership through teams resolves in SQL.
// - `project_teams`: teams added to projects; their members act as project members.
export async function up(db: Kysely<any>): Promise<void> {
  const id = autoIncrementPrimaryKey(db);
  await db.schema
    .createTable('space_teams')
    .addColumn('id', 'integer', id)
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('identity_team_id', 'text')
    .addColumn('name', 'text')
    .addColumn('created_user_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_user_id', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    // NULLs never collide: many classic teams (no identity id), many identity mappings (no local name).
    .addUniqueConstraint('space_teams_identity_uq', ['org_id', 'identity_team_id'])
    .addUniqueConstraint('space_teams_name_uq', ['org_id', 'name'])
    .execute();

  await db.schema
    .createTable('space_team_members')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('team_id', 'integer', (c) => c.notNull().references('space_teams.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('space_team_members_pk', ['team_id', 'user_id'])
    .execute();
  await db.schema.createIndex('space_team_members_user_idx').on('space_team_members').columns(['org_id', 'user_id']).execute();

  await db.schema
    .createTable('project_teams')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('team_id', 'integer', (c) => c.notNull().references('space_teams.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_teams_pk', ['project_id', 'team_id'])
    .execute();
  await db.schema.createIndex('project_teams_team_idx').on('project_teams').columns(['org_id', 'team_id']).execute();
}
