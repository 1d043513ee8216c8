import type { Kysely } from 'kysely';
import type { SunsetDb, SunsetRow, SunsetStatus } from './sunset.db';

/** Every SQL statement of service sunsets (W4.8). */
export function sunsetRepository(db: Kysely<SunsetDb>) {
  return {
    insert(row: SunsetRow) {
      return db.insertInto('service_sunsets').values(row).execute();
    },
    find(id: string) {
      return db.selectFrom('service_sunsets').selectAll().where('id', '=', id).executeTakeFirst();
    },
    list() {
      return db.selectFrom('service_sunsets').selectAll().orderBy('at', 'asc').orderBy('created_at', 'asc').execute();
    },
    active(service: string) {
      return db.selectFrom('service_sunsets').selectAll().where('service', '=', service).where('status', 'in', ['scheduled', 'running']).executeTakeFirst();
    },
    nextScheduled() {
      return db.selectFrom('service_sunsets').select('at').where('status', '=', 'scheduled').orderBy('at', 'asc').limit(1).executeTakeFirst();
    },
    due(nowIso: string) {
      return db.selectFrom('service_sunsets').selectAll().where('status', 'in', ['scheduled', 'running']).where('at', '<=', nowIso).orderBy('at', 'asc').execute();
    },
    /** Conditional transition: true only for the caller that moved it. */
    async transition(id: string, from: SunsetStatus, to: SunsetStatus, set: Partial<SunsetRow>): Promise<boolean> {
      const result = await db.updateTable('service_sunsets').set({ ...set, status: to }).where('id', '=', id).where('status', '=', from).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    purgedOrgs(sunsetId: string) {
      return db.selectFrom('service_sunset_orgs').selectAll().where('sunset_id', '=', sunsetId).execute();
    },
    recordOrg(row: SunsetDb['service_sunset_orgs']) {
      return db.insertInto('service_sunset_orgs').values(row).onConflict((oc) => oc.columns(['sunset_id', 'org_id']).doNothing()).execute();
    },
  };
}
