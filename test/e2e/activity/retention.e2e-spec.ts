import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { ActivityRetention } from '../../../src/modules/activity/application/activity-retention';
import { BatchingActivityWriter } from '../../../src/modules/activity/application/batching-activity-writer';
import { ActivityPurger } from '../../../src/modules/activity/application/ports/activity-purger.port';
import { ACTIVITY_PURGE_LOCK_KEY, purgeSql } from '../../../src/modules/activity/infrastructure/activity-purger.adapter';
import { anActivityEntry } from '../../../src/modules/activity/testing/an-activity-entry';
import { ActivitySink } from '../../../src/modules/routing/application/ports/activity-sink.port';
import { startTestApp, TEST_SERVER_URL, type TestApp } from '../../support/test-app';

/** Activity retention on a real database: what is deleted, in how many statements, and by which plan. */

// Several boots, and a 200 000-row table for the query plan.
jest.setTimeout(120_000);

const DAY_MS = 86_400_000;
const daysAgo = (days: number): Date => new Date(Date.now() - days * DAY_MS);

async function raw<T>(t: TestApp, statement: string, bindings: (string | number | boolean)[] = []): Promise<T[]> {
  const result = await t.app.get<MikroORM, MikroORM>(MikroORM).em.fork().getKnex().raw<{ rows: T[] }>(statement, bindings);
  return result.rows;
}

async function countOf(t: TestApp, projectId: string): Promise<{ old: number; recent: number }> {
  const [row] = await raw<{ old: number; recent: number }>(
    t,
    `select count(*) filter (where request_id like 'old-%')::int as old, count(*) filter (where request_id like 'recent-%')::int as recent
     from activity where project_id = ?::uuid`,
    [projectId],
  );
  return row;
}

/** Hands `old` entries 31 to 400 days old and `recent` ones up to 29 days old to the proxy's sink, and waits for them to be written. */
async function recordAges(t: TestApp, projectId: string, counts: { old: number; recent: number }): Promise<void> {
  const sink = t.app.get(ActivitySink);
  for (let i = 0; i < counts.old; i++) sink.record(anActivityEntry({ projectId, requestId: `old-${i}`, createdAt: daysAgo(31 + i * 15) }));
  for (let i = 0; i < counts.recent; i++) sink.record(anActivityEntry({ projectId, requestId: `recent-${i}`, createdAt: daysAgo(i * 7 + 0.01) }));
  await t.app.get(BatchingActivityWriter).flush();
}

const RETENTION_30_DAYS = { LOG_LEVEL: 'info', KEYWAY_ACTIVITY_RETENTION_DAYS: '30', KEYWAY_ACTIVITY_PURGE_BATCH_SIZE: '7' };

describe('activity retention', () => {
  describe('with a retention of 30 days, 7 rows per statement', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(RETENTION_30_DAYS);
    });
    afterAll(() => t?.close());

    it('records older than 30 days are deleted, younger ones kept, a few rows per statement', async () => {
      const projectId = randomUUID();
      await recordAges(t, projectId, { old: 25, recent: 5 });
      expect(await countOf(t, projectId)).toEqual({ old: 25, recent: 5 });

      const run = await t.app.get(ActivityRetention).runOnce();

      // 7 + 7 + 7 + 4: the short fourth batch shows that nothing older is left.
      expect(run).toMatchObject({ outcome: 'completed', deleted: 25, batches: 4 });
      expect(await countOf(t, projectId)).toEqual({ old: 0, recent: 5 });
      expect(t.logs()).toMatch(/activity retention: deleted 25 record\(s\) created before \S+ \(older than 30 days\) in 4 batch\(es\), \d+ ms/);
    });

    it('one statement deletes at most the batch size', async () => {
      const projectId = randomUUID();
      await recordAges(t, projectId, { old: 10, recent: 1 });
      const purger = t.app.get(ActivityPurger);
      expect(await purger.deleteBatch(daysAgo(30), 7)).toBe(7);
      expect(await countOf(t, projectId)).toEqual({ old: 3, recent: 1 });
      expect(await purger.deleteBatch(daysAgo(30), 7)).toBe(3);
      expect(await purger.deleteBatch(daysAgo(30), 7)).toBe(0);
    });

    it('the purge reads the oldest rows from the primary key, not by scanning the table', async () => {
      // 50 000 rows over the last 31 days, analyzed, with time-ordered ids as the writer mints
      // them (UUIDv7 of created_at): a 30-day retention finds a day of rows, as an hourly purge does.
      await raw(
        t,
        `insert into activity (id, request_id, organization_id, project_id, api_key_id, requested_model, endpoint, stream, status,
           http_status, attempts, latency_ms, created_at)
         select (lpad(to_hex((extract(epoch from ts) * 1000)::bigint), 12, '0') || '7' || substr(md5(g::text), 1, 3) || '8' || substr(md5(g::text), 4, 15))::uuid,
           'plan-' || g, md5('org' || (g % 20))::uuid, md5('project' || (g % 40))::uuid, md5('key' || (g % 400))::uuid,
           'openai/gpt-4o-mini', '/v1/chat/completions', false, 'success', 200, '[]'::jsonb, 100, ts
         from (select g, now() - interval '31 days' + g * interval '53568 milliseconds' as ts from generate_series(1, 50000) as g) as rows`,
      );
      await raw(t, 'analyze activity');
      const plan = async (before: Date): Promise<string> => {
        const { sql, bindings } = purgeSql(before, 5_000);
        return (await raw<{ 'QUERY PLAN': string }>(t, `explain ${sql}`, bindings)).map((r) => r['QUERY PLAN']).join('\n');
      };

      // A batch of the hourly purge, and the last batch of every run, which finds nothing.
      for (const text of [await plan(daysAgo(30)), await plan(daysAgo(40))]) {
        expect(text).toMatch(/Index (Only )?Scan using activity_pkey on activity/);
        expect(text).toMatch(/Index Cond: \(id < /);
        expect(text).toMatch(/Tid Scan on activity/);
        expect(text).not.toContain('Seq Scan');
      }
    });
  });

  // Log lines are checked on the file's first app only: nestjs-pino keeps the first app's
  // logger for every later one in the same process.
  it('a retention of 0 keeps every record', async () => {
    const t = await startTestApp({ ...RETENTION_30_DAYS, KEYWAY_ACTIVITY_RETENTION_DAYS: '0' });
    try {
      const projectId = randomUUID();
      await recordAges(t, projectId, { old: 12, recent: 2 });
      expect(await t.app.get(ActivityRetention).runOnce()).toMatchObject({ outcome: 'disabled', deleted: 0, batches: 0 });
      expect(await countOf(t, projectId)).toEqual({ old: 12, recent: 2 });
    } finally {
      await t.close();
    }
  });

  it('the purge runs by itself every interval', async () => {
    // The first run comes after the interval when it is shorter than a minute.
    const t = await startTestApp({ ...RETENTION_30_DAYS, KEYWAY_ACTIVITY_PURGE_INTERVAL_MS: '1000' });
    try {
      const projectId = randomUUID();
      await recordAges(t, projectId, { old: 9, recent: 3 });
      const deadline = Date.now() + 10_000;
      while ((await countOf(t, projectId)).old > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await countOf(t, projectId)).toEqual({ old: 0, recent: 3 });
    } finally {
      await t.close();
    }
  });

  // The embedded database is one session: its advisory locks exclude nothing (one instance anyway).
  if (TEST_SERVER_URL) {
    it('on a shared server database, an instance skips the purge while another holds the lock', async () => {
      const t = await startTestApp(RETENTION_30_DAYS);
      const other = new Client({ connectionString: t.databaseUrl });
      await other.connect();
      try {
        const projectId = randomUUID();
        await recordAges(t, projectId, { old: 4, recent: 1 });
        await other.query('begin');
        await other.query('select pg_advisory_xact_lock($1::bigint)', [ACTIVITY_PURGE_LOCK_KEY]);

        expect(await t.app.get(ActivityRetention).runOnce()).toMatchObject({ outcome: 'busy', deleted: 0, batches: 0 });
        expect(await countOf(t, projectId)).toEqual({ old: 4, recent: 1 });

        await other.query('commit');
        expect(await t.app.get(ActivityRetention).runOnce()).toMatchObject({ outcome: 'completed', deleted: 4 });
      } finally {
        await other.end();
        await t.close();
      }
    });
  }
});
