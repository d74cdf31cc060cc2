import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { BatchingActivityWriter } from '../../../src/modules/activity/application/batching-activity-writer';
import { anActivityEntry } from '../../../src/modules/activity/testing/an-activity-entry';
import { ActivitySink } from '../../../src/modules/routing/application/ports/activity-sink.port';
import { startTestApp, TEST_SERVER_URL, type TestApp } from '../../support/test-app';

/**
 * The activity writer when the database goes away and comes back. Each file gets its own
 * module registry: the app logs checked here must be the first app of the file (nestjs-pino
 * keeps its root logger in a static, so later apps in a file log into the first one's sink).
 */

// Retries with backoff.
jest.setTimeout(60_000);

async function sql<T>(t: TestApp, statement: string, bindings: (string | number)[] = []): Promise<T[]> {
  const result = await t.app.get<MikroORM, MikroORM>(MikroORM).em.fork().getKnex().raw<{ rows: T[] }>(statement, bindings);
  return result.rows;
}

async function rowsOf(t: TestApp, projectId: string): Promise<string[]> {
  const rows = await sql<{ request_id: string }>(t, 'select request_id from activity where project_id = ?::uuid order by request_id', [projectId]);
  return rows.map((r) => r.request_id);
}

async function until(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function requestIds(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(5, '0')}`).sort();
}

describe('activity writer when the database is unavailable', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function app(): Promise<TestApp> {
    const t = await startTestApp({ LOG_LEVEL: 'warn' });
    cleanup.push(t.close);
    return t;
  }

  function recordAll(t: TestApp, projectId: string, ids: string[]): void {
    const sink = t.app.get(ActivitySink);
    for (const requestId of ids) sink.record(anActivityEntry({ requestId, projectId }));
  }

  it('while the table cannot be written the records are kept, and they arrive once it can', async () => {
    const t = await app();
    const writer = t.app.get(BatchingActivityWriter);
    const projectId = randomUUID();
    await sql(t, 'alter table activity rename to activity_offline');
    let renamedBack = false;
    cleanup.push(async () => {
      if (!renamedBack) await sql(t, 'alter table activity_offline rename to activity');
    });

    recordAll(t, projectId, requestIds('before', 3));
    await writer.flush();
    recordAll(t, projectId, requestIds('during', 2));
    await writer.flush();
    expect(writer.bufferDepth()).toBe(5);
    expect(writer.written()).toBe(0);
    expect(t.logs()).toMatch(/activity: writing failed \(attempt \d+: .*activity.* does not exist\); \d+ record\(s\) kept, retrying in \d+ ms/);

    await sql(t, 'alter table activity_offline rename to activity');
    renamedBack = true;
    // No flush: the writer's own retry brings them in.
    await until(async () => writer.bufferDepth() === 0);
    expect(await rowsOf(t, projectId)).toEqual([...requestIds('before', 3), ...requestIds('during', 2)].sort());
    expect(writer.dropped()).toBe(0);
    expect(t.logs()).toContain('activity: writing resumed after');
  });

  if (TEST_SERVER_URL) {
    it('after the server drops every connection (a restart), the writer reconnects and loses nothing', async () => {
      const t = await app();
      const writer = t.app.get(BatchingActivityWriter);
      const projectId = randomUUID();
      recordAll(t, projectId, requestIds('warm', 2));
      await writer.flush();

      const admin = new Client({ connectionString: t.databaseUrl });
      await admin.connect();
      try {
        await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
      } finally {
        await admin.end();
      }

      recordAll(t, projectId, requestIds('after', 4));
      await writer.flush();
      await until(async () => writer.bufferDepth() === 0);
      expect(await rowsOf(t, projectId)).toEqual([...requestIds('after', 4), ...requestIds('warm', 2)].sort());
      expect(writer.dropped()).toBe(0);
    });
  }
});
