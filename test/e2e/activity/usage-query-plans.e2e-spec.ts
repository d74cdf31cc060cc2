import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import type { UsageStoreQuery } from '../../../src/modules/activity/application/ports/usage-store.port';
import { usageSql } from '../../../src/modules/activity/infrastructure/usage-store.adapter';
import { startTestApp, type TestApp } from '../../support/test-app';

/**
 * Usage reads only its scope's requests of the range, from the index that leads with the
 * scope: EXPLAIN of the statement the store runs, on a table big enough (and analyzed) for
 * the planner's choice to mean something.
 */

// Filling the table takes a few seconds on the embedded database.
jest.setTimeout(120_000);

const ORGANIZATIONS = 100;
const PROJECTS_PER_ORGANIZATION = 2;
const ROWS = 80_000;

describe('usage query plans', () => {
  let t: TestApp;
  const organizationIds = Array.from({ length: ORGANIZATIONS }, () => randomUUID());
  const projectIds = Array.from({ length: ORGANIZATIONS * PROJECTS_PER_ORGANIZATION }, () => randomUUID());

  async function raw<T>(statement: string, bindings: (string | number | boolean)[] = []): Promise<T[]> {
    const result = await t.app.get<MikroORM, MikroORM>(MikroORM).em.fork().getKnex().raw<{ rows: T[] }>(statement, bindings);
    return result.rows;
  }

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'warn' });
    // 80 000 rows over 30 days, in time order as the writer appends them: 100 organizations of
    // 2 projects, each 1 % of the traffic, a third on the platform credential. (For a tenant with
    // a large share of the traffic, walking `activity_created_idx` in heap order is as good,
    // and the planner rightly takes it.)
    await raw(
      `insert into activity (id, request_id, organization_id, project_id, api_key_id, provider_slug, provider, credential_source,
         requested_model, served_model, endpoint, stream, status, http_status, attempts, latency_ms, cost_usd, created_at)
       select gen_random_uuid(), 'req-' || g,
         (?::jsonb ->> ((g % ${ORGANIZATIONS * PROJECTS_PER_ORGANIZATION}) / ${PROJECTS_PER_ORGANIZATION}))::uuid,
         (?::jsonb ->> (g % ${ORGANIZATIONS * PROJECTS_PER_ORGANIZATION}))::uuid,
         gen_random_uuid(),
         case when g % 3 = 0 then 'platform:openai' else 'openai-main' end, 'openai',
         case when g % 3 = 0 then 'platform' else 'byok' end,
         'openai/model-' || (g % 5), 'model-' || (g % 5), '/v1/chat/completions', false,
         case when g % 50 = 0 then 'error' else 'success' end,
         200, '[]'::jsonb, 100, 0.0001,
         timestamptz '2026-11-01 00:00:00+00' + (g * interval '30 seconds')
       from generate_series(1, ${ROWS}) as g`,
      [JSON.stringify(organizationIds), JSON.stringify(projectIds)],
    );
    await raw('analyze activity');
  });
  afterAll(() => t?.close());

  async function plan(query: UsageStoreQuery): Promise<string> {
    const { sql, bindings } = usageSql(query);
    const rows = await raw<{ 'QUERY PLAN': string }>(`explain ${sql}`, bindings);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  const WEEK = { from: new Date('2026-11-10T00:00:00.000Z'), to: new Date('2026-11-17T00:00:00.000Z') };

  it.each([null, 'model', 'day'] as const)('an organization’s usage (groupBy %s) is a range read of the organization index', async (groupBy) => {
    const text = await plan({ ...WEEK, groupBy, scope: { kind: 'organization', organizationId: organizationIds[3] } });
    expect(text).toMatch(/(Index Scan using|Bitmap Index Scan on) activity_organization_created_idx/);
    expect(text).toMatch(/Index Cond: \(\(organization_id = .*\) AND \(created_at >= .*\) AND \(created_at < .*\)\)/);
    expect(text).not.toContain('Seq Scan');
  });

  it.each([null, 'integration'] as const)('a project’s usage (groupBy %s) is a range read of the project index', async (groupBy) => {
    const text = await plan({ ...WEEK, groupBy, scope: { kind: 'project', projectId: projectIds[7] } });
    expect(text).toMatch(/(Index Scan using|Bitmap Index Scan on) activity_project_created_idx/);
    expect(text).toMatch(/Index Cond: \(\(project_id = .*\) AND \(created_at >= .*\) AND \(created_at < .*\)\)/);
    expect(text).not.toContain('Seq Scan');
  });

  it('groups and totals come from one scan', async () => {
    const text = await plan({ ...WEEK, groupBy: 'model', scope: { kind: 'organization', organizationId: organizationIds[3] } });
    // The table is read once (an index scan, or a bitmap heap scan over one bitmap index scan).
    expect({ reads: text.match(/ on activity(?!_)/g)?.length, plan: text }).toEqual({ reads: 1, plan: text });
  });
});
