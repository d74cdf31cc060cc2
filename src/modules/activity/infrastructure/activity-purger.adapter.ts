import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { ActivityPurger } from '../application/ports/activity-purger.port';
import { firstActivityIdAt } from '../domain/activity-id';
import type { BoundSql } from './activity-store.adapter';

/** The advisory lock key of the activity purge (ASCII "KWRP"), the same on every instance. */
export const ACTIVITY_PURGE_LOCK_KEY = 0x4b575250;

/**
 * One purge statement. Activity ids are UUIDv7 of `created_at` (the writer mints
 * `activityId(entry.createdAt)`), so the rows created before the cutoff are exactly those whose
 * id is below the first id of the cutoff's millisecond: a range at the start of the primary
 * key, read oldest first. `created_at < cutoff`, the rule itself, is checked too, so a row whose
 * id disagreed with its time would be kept, never deleted early. The rows found are deleted by
 * their addresses (Tid Scan; stable within the statement's snapshot, and activity rows are never
 * updated): `id in (select … limit n)` is planned as a hash semi-join over a sequential scan.
 *
 * No index on `created_at` (measured, 200 000 rows): without one PostgreSQL 15 seq-scans for
 * the purge, but with one the planner also walks it, newest first, for the project listing,
 * filtering by project: for a quiet project, most of the table.
 */
export function purgeSql(before: Date, limit: number): BoundSql {
  return {
    sql: `delete from activity where ctid = any(array(
            select ctid from activity where id < ?::uuid and created_at < ?::timestamptz limit ?))`,
    bindings: [firstActivityIdAt(before.getTime()), before.toISOString(), limit],
  };
}

/**
 * Each batch is a short transaction that first takes `pg_try_advisory_xact_lock`: at most one
 * purge statement runs at a time across the instances sharing the database, and an instance
 * that finds the lock taken ends its run (`busy`). Transaction-scoped on purpose: through a
 * connection pool, a session lock (`pg_try_advisory_lock`) could be unlocked on another
 * connection than the one holding it and stay held by an idle pooled connection, and holding
 * one connection for a whole run pins a pool slot and still leaks the lock if the unlock fails.
 * Commit, rollback or a lost connection always release a transaction lock. The price: two
 * instances' runs may alternate batch by batch, never overlapping. On the embedded database
 * (one session, one instance) the lock is always obtained: same code path, nothing to exclude.
 */
@Injectable()
export class MikroOrmActivityPurger implements ActivityPurger {
  constructor(private readonly orm: MikroORM) {}

  async deleteBatch(before: Date, limit: number): Promise<number | 'busy'> {
    const { sql, bindings } = purgeSql(before, limit);
    return this.orm.em
      .fork()
      .getKnex()
      .transaction(async (trx) => {
        const lock = await trx.raw<{ rows: { obtained: boolean }[] }>('select pg_try_advisory_xact_lock(?::bigint) as obtained', [ACTIVITY_PURGE_LOCK_KEY]);
        if (lock.rows[0]?.obtained !== true) return 'busy' as const;
        const result = await trx.raw<{ rowCount: number | null }>(sql, bindings);
        return result.rowCount ?? 0;
      });
  }
}
