import { randomUUID } from 'node:crypto';
import { BatchingActivityWriter } from '../../../src/modules/activity/application/batching-activity-writer';
import { anActivityEntry } from '../../../src/modules/activity/testing/an-activity-entry';
import { ActivityEntry, ActivitySink } from '../../../src/modules/routing/application/ports/activity-sink.port';
import type { components, paths } from '../../support/api-schema';
import { startTestApp, type TestApp } from '../../support/test-app';
import { bearer, buildWorld, createProject, signUp, type Account, type World } from '../../support/world';

type UsageQuery = NonNullable<paths['/api/organizations/{orgId}/usage']['get']['parameters']['query']>;
type Metrics = components['schemas']['UsageMetricsResponse'];

/** Far from "now", so the default range never reaches them. */
const FROM = '2026-03-10T00:00:00.000Z';
const TO = '2026-03-12T00:00:00.000Z';
const RANGE = { from: FROM, to: TO };

const NONE: Metrics = {
  requests: 0,
  byokRequests: 0,
  platformRequests: 0,
  errorRequests: 0,
  cancelledRequests: 0,
  errorRate: 0,
  byokSpendUsd: 0,
  platformSpendUsd: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedTokens: 0,
  cacheWriteTokens: 0,
};
const metrics = (m: Partial<Metrics>): Metrics => ({ ...NONE, ...m });

describe('usage: GET /api/organizations/{orgId}/usage and GET /api/projects/{projectId}/usage', () => {
  let t: TestApp;
  let w: World;
  let p1: string;
  let p2: string;
  const openaiMain = randomUUID();
  const anthropicMain = randomUUID();

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'warn' });
    w = await buildWorld(t);
    p1 = await createProject(t, w.owner);
    p2 = await createProject(t, w.owner);
    await record(...dataSet());
  });
  afterAll(() => t.close());

  /** Hands entries to the proxy's sink, as the proxy does, and waits for them to be written. */
  async function record(...entries: ActivityEntry[]): Promise<void> {
    const sink = t.app.get(ActivitySink);
    for (const entry of entries) sink.record(entry);
    await t.app.get(BatchingActivityWriter).flush();
  }

  /** No tokens, no cost: each entry states what it counts. */
  function entry(organizationId: string, projectId: string, overrides: Partial<ActivityEntry>): ActivityEntry {
    return anActivityEntry({ organizationId, projectId, inputTokens: 0, outputTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, costUsd: null, ...overrides });
  }

  const byok = (integrationId: string, providerSlug: string, provider: string) => ({ credentialSource: 'byok' as const, integrationId, providerSlug, provider });
  const platform = (provider: string) => ({ credentialSource: 'platform' as const, integrationId: null, providerSlug: `platform:${provider}`, provider });
  const unserved = { credentialSource: null, integrationId: null, providerSlug: null, provider: null, servedModel: null };

  /**
   * Seven requests of the organization in [FROM, TO): project 1 has gpt-4o-mini twice with
   * BYOK and once on the platform, and a request no credential could serve; project 2 has a
   * BYOK Claude success and a BYOK Claude 429, and a cancelled platform DeepSeek request.
   * Outside: a request at TO, one just before FROM, and one of another organization.
   */
  function dataSet(): ActivityEntry[] {
    const org = w.owner.organizationId;
    const openai = byok(openaiMain, 'openai-main', 'openai');
    const anthropic = byok(anthropicMain, 'anthropic-main', 'anthropic');
    const mini = { requestedModel: 'openai/gpt-4o-mini', servedModel: 'gpt-4o-mini' };
    return [
      entry(org, p1, { ...openai, ...mini, costUsd: 0.1, inputTokens: 100, outputTokens: 50, cachedTokens: 10, createdAt: new Date(FROM) }),
      entry(org, p1, { ...openai, ...mini, costUsd: 0.2, inputTokens: 100, outputTokens: 50, createdAt: new Date('2026-03-10T06:00:00.000Z') }),
      entry(org, p1, { ...platform('openai'), ...mini, costUsd: 0.002, inputTokens: 200, outputTokens: 80, createdAt: new Date('2026-03-10T12:00:00.000Z') }),
      entry(org, p1, { ...unserved, requestedModel: 'mistral/large', status: 'error', httpStatus: 404, errorCode: 'model-not-available', createdAt: new Date('2026-03-11T05:00:00.000Z') }),
      entry(org, p2, {
        ...anthropic,
        requestedModel: 'anthropic/claude-sonnet-4',
        servedModel: 'claude-sonnet-4',
        costUsd: 0.01,
        inputTokens: 1000,
        outputTokens: 200,
        cachedTokens: 500,
        cacheWriteTokens: 100,
        createdAt: new Date('2026-03-11T09:00:00.000Z'),
      }),
      entry(org, p2, { ...anthropic, requestedModel: 'anthropic/claude-sonnet-4', servedModel: null, status: 'error', httpStatus: 429, errorCode: 'rate_limited', createdAt: new Date('2026-03-11T10:00:00.000Z') }),
      entry(org, p2, {
        ...platform('deepseek'),
        requestedModel: 'deepseek/deepseek-chat',
        servedModel: 'deepseek-chat',
        status: 'cancelled',
        httpStatus: 499,
        costUsd: 0.0003,
        inputTokens: 300,
        outputTokens: 10,
        createdAt: new Date('2026-03-11T23:59:59.999Z'),
      }),
      // Outside the range or the organization.
      entry(org, p1, { ...openai, ...mini, costUsd: 5, inputTokens: 5000, createdAt: new Date(TO) }),
      entry(org, p1, { ...openai, ...mini, costUsd: 7, inputTokens: 7000, createdAt: new Date('2026-03-09T23:59:59.999Z') }),
      entry(w.outsider.organizationId, randomUUID(), { ...platform('openai'), ...mini, costUsd: 11, inputTokens: 11000, createdAt: new Date('2026-03-11T00:00:00.000Z') }),
    ];
  }

  const TOTALS = metrics({
    requests: 7,
    byokRequests: 4,
    platformRequests: 2,
    errorRequests: 2,
    cancelledRequests: 1,
    errorRate: 0.2857,
    byokSpendUsd: 0.31,
    platformSpendUsd: 0.0023,
    inputTokens: 1700,
    outputTokens: 390,
    cachedTokens: 510,
    cacheWriteTokens: 100,
  });

  async function orgUsage(query: UsageQuery = {}, account: Account = w.owner, orgId = w.owner.organizationId) {
    return t.api.GET('/api/organizations/{orgId}/usage', { params: { path: { orgId }, query }, ...bearer(account.token) });
  }

  async function projectUsage(projectId: string, query: UsageQuery = {}, account: Account = w.owner) {
    return t.api.GET('/api/projects/{projectId}/usage', { params: { path: { projectId }, query }, ...bearer(account.token) });
  }

  async function orgReport(query: UsageQuery) {
    const { data, error } = await orgUsage(query);
    if (!data) throw new Error(JSON.stringify(error));
    return data;
  }

  it('the organization totals count BYOK and platform requests and spend over the range, without rows', async () => {
    expect(await orgReport(RANGE)).toEqual({ from: FROM, to: TO, groupBy: null, totals: TOTALS, rows: [] });
  });

  it('per model, each row says whether BYOK, the platform or both served it', async () => {
    const report = await orgReport({ ...RANGE, groupBy: 'model' });
    expect(report.totals).toEqual(TOTALS);
    expect(report.rows).toEqual([
      {
        provider: 'openai',
        model: 'gpt-4o-mini',
        source: 'mixed',
        ...metrics({ requests: 3, byokRequests: 2, platformRequests: 1, byokSpendUsd: 0.3, platformSpendUsd: 0.002, inputTokens: 400, outputTokens: 180, cachedTokens: 10 }),
      },
      {
        provider: 'anthropic',
        model: 'claude-sonnet-4',
        source: 'byok',
        ...metrics({ requests: 1, byokRequests: 1, byokSpendUsd: 0.01, inputTokens: 1000, outputTokens: 200, cachedTokens: 500, cacheWriteTokens: 100 }),
      },
      {
        provider: 'deepseek',
        model: 'deepseek-chat',
        source: 'platform',
        ...metrics({ requests: 1, platformRequests: 1, cancelledRequests: 1, platformSpendUsd: 0.0003, inputTokens: 300, outputTokens: 10 }),
      },
      // Nothing served it: the requested model.
      { provider: 'anthropic', model: 'anthropic/claude-sonnet-4', source: 'byok', ...metrics({ requests: 1, byokRequests: 1, errorRequests: 1, errorRate: 1 }) },
      { provider: null, model: 'mistral/large', source: null, ...metrics({ requests: 1, errorRequests: 1, errorRate: 1 }) },
    ]);
  });

  it('per integration, the platform credential and unserved requests have rows of their own', async () => {
    const report = await orgReport({ ...RANGE, groupBy: 'integration' });
    expect(report.rows).toEqual([
      {
        integrationId: openaiMain,
        providerSlug: 'openai-main',
        source: 'byok',
        ...metrics({ requests: 2, byokRequests: 2, byokSpendUsd: 0.3, inputTokens: 200, outputTokens: 100, cachedTokens: 10 }),
      },
      {
        integrationId: anthropicMain,
        providerSlug: 'anthropic-main',
        source: 'byok',
        ...metrics({ requests: 2, byokRequests: 2, errorRequests: 1, errorRate: 0.5, byokSpendUsd: 0.01, inputTokens: 1000, outputTokens: 200, cachedTokens: 500, cacheWriteTokens: 100 }),
      },
      { integrationId: null, providerSlug: 'platform:openai', source: 'platform', ...metrics({ requests: 1, platformRequests: 1, platformSpendUsd: 0.002, inputTokens: 200, outputTokens: 80 }) },
      {
        integrationId: null,
        providerSlug: 'platform:deepseek',
        source: 'platform',
        ...metrics({ requests: 1, platformRequests: 1, cancelledRequests: 1, platformSpendUsd: 0.0003, inputTokens: 300, outputTokens: 10 }),
      },
      { integrationId: null, providerSlug: null, source: null, ...metrics({ requests: 1, errorRequests: 1, errorRate: 1 }) },
    ]);
    expect(report.totals).toEqual(TOTALS);
  });

  it('per project, the organization’s spend splits by project', async () => {
    const report = await orgReport({ ...RANGE, groupBy: 'project' });
    expect(report.rows).toEqual([
      {
        projectId: p1,
        source: 'mixed',
        ...metrics({ requests: 4, byokRequests: 2, platformRequests: 1, errorRequests: 1, errorRate: 0.25, byokSpendUsd: 0.3, platformSpendUsd: 0.002, inputTokens: 400, outputTokens: 180, cachedTokens: 10 }),
      },
      {
        projectId: p2,
        source: 'mixed',
        ...metrics({
          requests: 3,
          byokRequests: 2,
          platformRequests: 1,
          errorRequests: 1,
          cancelledRequests: 1,
          errorRate: 0.3333,
          byokSpendUsd: 0.01,
          platformSpendUsd: 0.0003,
          inputTokens: 1300,
          outputTokens: 210,
          cachedTokens: 500,
          cacheWriteTokens: 100,
        }),
      },
    ]);
  });

  it('per credential source: BYOK, platform, and requests no credential served', async () => {
    const report = await orgReport({ ...RANGE, groupBy: 'source' });
    expect(report.rows).toEqual([
      {
        credentialSource: 'byok',
        source: 'byok',
        ...metrics({ requests: 4, byokRequests: 4, errorRequests: 1, errorRate: 0.25, byokSpendUsd: 0.31, inputTokens: 1200, outputTokens: 300, cachedTokens: 510, cacheWriteTokens: 100 }),
      },
      {
        credentialSource: 'platform',
        source: 'platform',
        ...metrics({ requests: 2, platformRequests: 2, cancelledRequests: 1, platformSpendUsd: 0.0023, inputTokens: 500, outputTokens: 90 }),
      },
      { credentialSource: null, source: null, ...metrics({ requests: 1, errorRequests: 1, errorRate: 1 }) },
    ]);
  });

  it('per UTC day, in calendar order', async () => {
    const report = await orgReport({ ...RANGE, groupBy: 'day' });
    expect(report.rows).toEqual([
      {
        day: '2026-03-10',
        source: 'mixed',
        ...metrics({ requests: 3, byokRequests: 2, platformRequests: 1, byokSpendUsd: 0.3, platformSpendUsd: 0.002, inputTokens: 400, outputTokens: 180, cachedTokens: 10 }),
      },
      {
        day: '2026-03-11',
        source: 'mixed',
        ...metrics({
          requests: 4,
          byokRequests: 2,
          platformRequests: 1,
          errorRequests: 2,
          cancelledRequests: 1,
          errorRate: 0.5,
          byokSpendUsd: 0.01,
          platformSpendUsd: 0.0003,
          inputTokens: 1300,
          outputTokens: 210,
          cachedTokens: 500,
          cacheWriteTokens: 100,
        }),
      },
    ]);
  });

  it.each<[string, string, string, number]>([
    ['a request made exactly at `from` is counted', FROM, '2026-03-10T00:00:00.001Z', 0.1],
    ['a request made exactly at `to` is not', '2026-03-11T00:00:00.000Z', TO, 0.01],
    ['the request at `to` is in the next range', TO, '2026-03-12T00:00:00.001Z', 5],
    ['the request 1 ms before `from` is in the previous range', '2026-03-09T00:00:00.000Z', FROM, 7],
  ])('%s', async (_name, from, to, byokSpendUsd) => {
    const { totals } = await orgReport({ from, to });
    expect(totals.byokSpendUsd).toBe(byokSpendUsd);
  });

  it('a range with no requests has zero totals and no rows', async () => {
    expect(await orgReport({ from: '2025-01-01T00:00:00.000Z', to: '2025-01-02T00:00:00.000Z', groupBy: 'model' })).toEqual({
      from: '2025-01-01T00:00:00.000Z',
      to: '2025-01-02T00:00:00.000Z',
      groupBy: 'model',
      totals: NONE,
      rows: [],
    });
  });

  it('the project view counts only that project', async () => {
    const { data } = await projectUsage(p2, { ...RANGE, groupBy: 'model' });
    expect(data!.totals).toEqual(
      metrics({
        requests: 3,
        byokRequests: 2,
        platformRequests: 1,
        errorRequests: 1,
        cancelledRequests: 1,
        errorRate: 0.3333,
        byokSpendUsd: 0.01,
        platformSpendUsd: 0.0003,
        inputTokens: 1300,
        outputTokens: 210,
        cachedTokens: 500,
        cacheWriteTokens: 100,
      }),
    );
    expect(data!.rows.map((r) => [r.model, r.source])).toEqual([
      ['claude-sonnet-4', 'byok'],
      ['deepseek-chat', 'platform'],
      ['anthropic/claude-sonnet-4', 'byok'],
    ]);
    const first = await projectUsage(p1, RANGE);
    expect(first.data!.totals).toMatchObject({ requests: 4, byokSpendUsd: 0.3, platformSpendUsd: 0.002 });
  });

  it('without from and to, the last 30 days up to now are counted', async () => {
    const owner = await signUp(t, 'recent');
    const projectId = await createProject(t, owner);
    const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
    await record(
      entry(owner.organizationId, projectId, { ...platform('openai'), costUsd: 0.5, createdAt: hourAgo }),
      entry(owner.organizationId, projectId, { ...platform('openai'), costUsd: 0.25, createdAt: new Date(Date.now() - 31 * 24 * 60 * 60 * 1000) }),
    );
    const before = Date.now();
    const { data } = await orgUsage({}, owner, owner.organizationId);
    expect(data!.totals).toMatchObject({ requests: 1, platformSpendUsd: 0.5 });
    const to = Date.parse(data!.to);
    expect(to).toBeGreaterThanOrEqual(before);
    expect(to).toBeLessThanOrEqual(Date.now());
    expect(to - Date.parse(data!.from)).toBe(30 * 24 * 60 * 60 * 1000);
    expect((await projectUsage(projectId, {}, owner)).data!.totals.requests).toBe(1);
  });

  describe('who may read', () => {
    it('a developer or admin of the project reads its usage', async () => {
      for (const account of [w.developer, w.admin]) {
        const { response } = await projectUsage(w.projectId, RANGE, account);
        expect(response.status).toBe(200);
      }
    });

    it('an organization member without a role in the project is refused the project usage with 403', async () => {
      expect((await projectUsage(w.projectId, RANGE, w.member)).response.status).toBe(403);
    });

    it('only organization owners read the organization usage: project admins, developers and members get 403', async () => {
      for (const account of [w.admin, w.developer, w.member]) {
        const { response, error } = await orgUsage(RANGE, account);
        expect(response.status).toBe(403);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(error).toMatchObject({ status: 403 });
      }
    });

    it('someone from another organization gets 404 for both views', async () => {
      expect((await orgUsage(RANGE, w.outsider)).response.status).toBe(404);
      expect((await projectUsage(p1, RANGE, w.outsider)).response.status).toBe(404);
    });

    it('an owner of another organization sees none of this one’s usage in their own', async () => {
      const { data } = await orgUsage(RANGE, w.outsider, w.outsider.organizationId);
      // Their organization's only request is the one written alongside the data set.
      expect(data!.totals).toMatchObject({ requests: 1, platformSpendUsd: 11, byokSpendUsd: 0 });
    });
  });

  it.each<[string, Record<string, string>, string]>([
    ['a groupBy that does not exist', { groupBy: 'week' }, 'groupBy'],
    ['from after to', { from: '2026-03-12T00:00:00.000Z', to: '2026-03-10T00:00:00.000Z' }, 'from'],
    ['from equal to to', { from: FROM, to: FROM }, 'from'],
    ['a range longer than 366 days', { from: '2025-01-01T00:00:00.000Z', to: '2026-03-10T00:00:00.000Z' }, 'from'],
    ['a date that is not ISO 8601', { to: 'tomorrow' }, 'to'],
    ['an unknown parameter', { ...RANGE, sort: 'spend' }, 'sort'],
  ])('%s is refused with 400 problem+json naming the field', async (_name, query, field) => {
    for (const path of [`organizations/${w.owner.organizationId}`, `projects/${p1}`]) {
      const res = await fetch(`${t.baseUrl}/api/${path}/usage?${new URLSearchParams(query)}`, bearer(w.owner.token));
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await res.json()) as { status?: number; errors?: { field: string }[] };
      expect(problem.status).toBe(400);
      expect(problem.errors?.map((e) => e.field)).toEqual([field]);
    }
  });
});
