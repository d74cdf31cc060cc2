import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { BatchingActivityWriter } from '../../../src/modules/activity/application/batching-activity-writer';
import { anActivityEntry } from '../../../src/modules/activity/testing/an-activity-entry';
import { ActivitySink } from '../../../src/modules/routing/application/ports/activity-sink.port';
import { createTestDatabase, startTestApp, type TestApp, type TestDatabase } from '../../support/test-app';

/** The activity writer against a real database: nothing buffered is lost on a graceful shutdown. */

// Two boots in one test.
jest.setTimeout(60_000);

async function sql<T>(t: TestApp, statement: string, bindings: (string | number)[] = []): Promise<T[]> {
  const result = await t.app.get<MikroORM, MikroORM>(MikroORM).em.fork().getKnex().raw<{ rows: T[] }>(statement, bindings);
  return result.rows;
}

async function rowsOf(t: TestApp, projectId: string): Promise<string[]> {
  const rows = await sql<{ request_id: string }>(t, 'select request_id from activity where project_id = ?::uuid order by request_id', [projectId]);
  return rows.map((r) => r.request_id);
}

function requestIds(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(5, '0')}`).sort();
}

describe('activity writer at shutdown', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function database(): Promise<TestDatabase> {
    const db = await createTestDatabase();
    cleanup.push(db.drop);
    return db;
  }

  async function app(db?: TestDatabase): Promise<TestApp> {
    const t = await startTestApp({ LOG_LEVEL: 'warn' }, db);
    cleanup.push(db ? t.stop : t.close);
    return t;
  }

  function recordAll(t: TestApp, projectId: string, ids: string[]): void {
    const sink = t.app.get(ActivitySink);
    for (const requestId of ids) sink.record(anActivityEntry({ requestId, projectId }));
  }

  it('a graceful shutdown writes every buffered record before the database closes', async () => {
    const db = await database();
    const first = await app(db);
    const projectId = randomUUID();
    // More than two full batches, and a partial one that only the shutdown writes.
    const ids = requestIds('shutdown', 1234);
    recordAll(first, projectId, ids);
    const writer = first.app.get(BatchingActivityWriter);
    expect(writer.bufferDepth()).toBeGreaterThan(0);
    await first.stop();
    expect({ written: writer.written(), dropped: writer.dropped(), buffered: writer.bufferDepth() }).toEqual({ written: 1234, dropped: 0, buffered: 0 });

    const second = await app(db);
    expect(await rowsOf(second, projectId)).toEqual(ids);
  });

});
