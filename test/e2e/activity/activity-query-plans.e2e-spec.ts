import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import type { ActivityQuery } from '../../../src/modules/activity/domain/activity';
import { listingSql } from '../../../src/modules/activity/infrastructure/activity-store.adapter';
import { startTestApp, type TestApp } from '../../support/test-app';

/**
 * The listing reads an index in page order, whatever the filter: EXPLAIN of the statement the
 * store runs, on a table big enough (and analyzed) for the planner's choice to mean something.
 */

// Filling the table takes a few seconds on the embedded database.
jest.setTimeout(120_000);

const PROJECTS = 40;
const ROWS_PER_PROJECT = 2_000;

describe('activity listing query plans', () => {
  let t: TestApp;
  const projectIds = Array.from({ length: PROJECTS }, () => randomUUID());
  const projectId = projectIds[7];
  let apiKeyId: string;

  async function raw<T>(statement: string, bindings: (string | number | boolean)[] = []): Promise<T[]> {
    const result = await t.app.get<MikroORM, MikroORM>(MikroORM).em.fork().getKnex().raw<{ rows: T[] }>(statement, bindings);
    return result.rows;
  }

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'warn' });
    // 80 000 rows: 40 projects × 2 000 requests over 30 days; 10 keys and 5 models per project;
    // 2 % errors, 0.5 % cancellations.
    await raw(
      `insert into activity (id, request_id, organization_id, project_id, api_key_id, provider_slug, provider, credential_source,
         requested_model, served_model, endpoint, stream, status, http_status, attempts, latency_ms, created_at)
       select gen_random_uuid(), 'req-' || g, '0b6f3c7e-2a41-4c1b-9f0e-6d5a4b3c2d1e',
         (?::jsonb ->> (g % ${PROJECTS}))::uuid,
         md5('key' || (g % ${PROJECTS}) || '-' || ((g / ${PROJECTS}) % 10))::uuid,
         case when g % 3 = 0 then 'platform:openai' else 'openai-main' end, 'openai',
         case when g % 3 = 0 then 'platform' else 'byok' end,
         'openai/model-' || (g % 5), 'model-' || (g % 5) || '-2026', '/v1/chat/completions', false,
         case when g % 200 = 1 then 'cancelled' when g % 50 = 0 then 'error' else 'success' end,
         200, '[]'::jsonb, 100,
         timestamptz '2026-11-01 00:00:00+00' + (g * interval '30 seconds')
       from generate_series(1, ${PROJECTS * ROWS_PER_PROJECT}) as g`,
      [JSON.stringify(projectIds)],
    );
    await raw('analyze activity');
    const [key] = await raw<{ api_key_id: string }>('select api_key_id from activity where project_id = ?::uuid limit 1', [projectId]);
    apiKeyId = key.api_key_id;
  });
  afterAll(() => t?.close());

  async function plan(query: Omit<ActivityQuery, 'projectId' | 'limit'>): Promise<string> {
    const { sql, bindings } = listingSql({ projectId, limit: 51, ...query });
    const rows = await raw<{ 'QUERY PLAN': string }>(`explain ${sql}`, bindings);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  function expectOrderedIndexScan(text: string, index: string): void {
    expect(text).toMatch(new RegExp(`Index (Only )?Scan using ${index} on activity`));
    expect(text).not.toContain('Seq Scan');
    expect(text).not.toContain('Bitmap Heap Scan');
    // Read in (created_at desc, id desc) order: no sort of the matching rows.
    expect(text).not.toMatch(/^\s*(->\s*)?Sort\b/m);
  }

  /**
   * A selective filter is answered from its own index alone: either walked in order (many
   * matches: it stops after a page) or collected and top-N sorted (few matches, as here), so
   * the work is bounded by the matches, never by the size of the project.
   */
  function expectOnlyIndex(text: string, index: string): void {
    expect(text).toMatch(new RegExp(`(Index (Only )?Scan using|Bitmap Index Scan on) ${index}\\b`));
    const indexes = new Set([...text.matchAll(/(?:Scan using|Bitmap Index Scan on) (\w+)/g)].map((m) => m[1]));
    expect({ indexes: [...indexes], plan: text }).toEqual({ indexes: [index], plan: text });
    expect(text).not.toContain('Seq Scan');
  }

  it('a project’s newest page is read from the project index, in order', async () => {
    expectOrderedIndexScan(await plan({}), 'activity_project_created_idx');
  });

  it('the next page seeks past the cursor inside the project index', async () => {
    const text = await plan({ after: { createdAt: new Date('2026-11-20T00:00:00.000Z'), id: randomUUID() } });
    expectOrderedIndexScan(text, 'activity_project_created_idx');
    expect(text).toMatch(/Index Cond: \(\(project_id = '[0-9a-f-]+'::uuid\) AND \(ROW\(created_at, id\) < ROW\(/);
  });

  it('a time range is an index condition on the project index', async () => {
    const text = await plan({ from: new Date('2026-11-10T00:00:00.000Z'), to: new Date('2026-11-12T00:00:00.000Z') });
    expectOrderedIndexScan(text, 'activity_project_created_idx');
    expect(text).toMatch(/Index Cond: .*created_at >= .*created_at < /);
  });

  it('common values (source, provider slug) are filtered while walking the project index', async () => {
    const text = await plan({ source: 'platform', providerSlug: 'platform:openai' });
    expectOrderedIndexScan(text, 'activity_project_created_idx');
    expect(text).toMatch(/Filter: .*provider_slug.*credential_source/);
  });

  it('errors and cancellations come from the partial failure index', async () => {
    expectOnlyIndex(await plan({ status: 'error' }), 'activity_project_failure_idx');
    expectOnlyIndex(await plan({ status: 'cancelled' }), 'activity_project_failure_idx');
  });

  it('one API key’s requests come from the API key index', async () => {
    expectOnlyIndex(await plan({ apiKeyId }), 'activity_project_api_key_idx');
  });

  it('the model filter merges two ordered scans, one per model index', async () => {
    const text = await plan({ model: 'openai/model-3' });
    expect(text).toMatch(/Index (Only )?Scan using activity_project_requested_model_idx on activity/);
    expect(text).toMatch(/Index (Only )?Scan using activity_project_served_model_idx on activity/);
    expect(text).not.toContain('Seq Scan');
    // Each branch stops after one page; only those (at most 2 × 51) rows are de-duplicated and sorted.
    expect(text.match(/-> {2}Limit/g)?.length).toBe(2);
  });

  it('a request id is looked up by its index', async () => {
    const text = await plan({ requestId: 'req-12345' });
    expectOnlyIndex(text, 'activity_request_idx');
  });
});
