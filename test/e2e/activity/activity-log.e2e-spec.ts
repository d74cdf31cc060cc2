import { randomUUID } from 'node:crypto';
import { BatchingActivityWriter } from '../../../src/modules/activity/application/batching-activity-writer';
import { anActivityEntry } from '../../../src/modules/activity/testing/an-activity-entry';
import { ActivityEntry, ActivitySink } from '../../../src/modules/routing/application/ports/activity-sink.port';
import type { paths } from '../../support/api-schema';
import { startTestApp, type TestApp } from '../../support/test-app';
import { bearer, buildWorld, createProject, signUp, type World } from '../../support/world';

type ListQuery = NonNullable<paths['/api/projects/{projectId}/activity']['get']['parameters']['query']>;

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const at = (seconds: number): Date => new Date(T0 + seconds * 1000);

describe('activity log: GET /api/projects/{projectId}/activity and GET /api/activity/{activityId}', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'warn' });
    w = await buildWorld(t);
  });
  afterAll(() => t.close());

  /** Hands entries to the proxy's sink, as the proxy does, and waits for them to be written. */
  async function record(...entries: ActivityEntry[]): Promise<void> {
    const sink = t.app.get(ActivitySink);
    for (const entry of entries) sink.record(entry);
    await t.app.get(BatchingActivityWriter).flush();
  }

  /** An entry of `projectId` in the world's organization. */
  function entry(projectId: string, overrides: Partial<ActivityEntry> = {}): ActivityEntry {
    return anActivityEntry({ organizationId: w.owner.organizationId, projectId, ...overrides });
  }

  async function list(projectId: string, query: ListQuery = {}, token = w.owner.token) {
    return t.api.GET('/api/projects/{projectId}/activity', { params: { path: { projectId }, query }, ...bearer(token) });
  }

  async function requestIds(projectId: string, query: ListQuery = {}): Promise<string[]> {
    const { data, error } = await list(projectId, query);
    if (!data) throw new Error(JSON.stringify(error));
    return data.items.map((i) => i.requestId);
  }

  async function idOf(projectId: string, requestId: string): Promise<string> {
    const { data } = await list(projectId, { requestId });
    return data!.items[0].id;
  }

  it('a project’s requests are listed newest first, and only that project’s', async () => {
    const projectId = await createProject(t, w.owner);
    const other = await createProject(t, w.owner);
    await record(
      entry(projectId, { requestId: 'first', createdAt: at(1) }),
      entry(other, { requestId: 'elsewhere', createdAt: at(2) }),
      entry(projectId, { requestId: 'third', createdAt: at(3) }),
      entry(projectId, { requestId: 'second', createdAt: at(2) }),
    );
    expect(await requestIds(projectId)).toEqual(['third', 'second', 'first']);
  });

  it('a listed request shows what the proxy recorded', async () => {
    const projectId = await createProject(t, w.owner);
    const apiKeyId = randomUUID();
    await record(
      entry(projectId, {
        requestId: 'described',
        apiKeyId,
        providerSlug: 'platform:deepseek',
        provider: 'deepseek',
        credentialSource: 'platform',
        integrationId: null,
        requestedModel: 'deepseek/deepseek-chat',
        servedModel: 'deepseek-chat',
        stream: true,
        inputTokens: 1200,
        outputTokens: 300,
        cachedTokens: 1000,
        cacheWriteTokens: 0,
        costUsd: 0.000456,
        latencyMs: 1834,
        ttfbMs: 210,
        createdAt: at(0),
      }),
    );
    const { data } = await list(projectId);
    expect(data).toEqual({
      items: [
        {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          requestId: 'described',
          projectId,
          apiKeyId,
          integrationId: null,
          providerSlug: 'platform:deepseek',
          provider: 'deepseek',
          credentialSource: 'platform',
          requestedModel: 'deepseek/deepseek-chat',
          servedModel: 'deepseek-chat',
          virtualModel: null,
          endpoint: '/v1/chat/completions',
          stream: true,
          status: 'success',
          httpStatus: 200,
          errorCode: null,
          errorMessage: null,
          inputTokens: 1200,
          outputTokens: 300,
          cachedTokens: 1000,
          cacheWriteTokens: 0,
          costUsd: 0.000456,
          latencyMs: 1834,
          ttfbMs: 210,
          attemptCount: 1,
          createdAt: '2026-11-25T10:00:00.000Z',
        },
      ],
      nextCursor: null,
    });
  });

  describe('filters', () => {
    let projectId: string;
    const keyA = randomUUID();
    const keyB = randomUUID();

    beforeAll(async () => {
      projectId = await createProject(t, w.owner);
      await record(
        entry(projectId, { requestId: 'byok-ok', createdAt: at(1), apiKeyId: keyA, providerSlug: 'openai-main', credentialSource: 'byok', requestedModel: 'openai/gpt-4o-mini', servedModel: 'gpt-4o-mini-2024-07-18' }),
        entry(projectId, {
          requestId: 'byok-error',
          createdAt: at(2),
          apiKeyId: keyA,
          providerSlug: 'openai-main',
          credentialSource: 'byok',
          status: 'error',
          httpStatus: 429,
          errorCode: 'rate_limited',
          requestedModel: 'openai/gpt-4o-mini',
          servedModel: null,
        }),
        entry(projectId, { requestId: 'platform-ok', createdAt: at(3), apiKeyId: keyB, providerSlug: 'platform:openai', credentialSource: 'platform', integrationId: null, requestedModel: 'openai/gpt-4o', servedModel: 'gpt-4o-2024-08-06' }),
        entry(projectId, {
          requestId: 'virtual-ok',
          createdAt: at(4),
          apiKeyId: keyB,
          providerSlug: 'anthropic-main',
          provider: 'anthropic',
          requestedModel: 'smart',
          virtualModel: 'smart',
          servedModel: 'openai/gpt-4o',
        }),
        entry(projectId, { requestId: 'cancelled', createdAt: at(5), apiKeyId: keyB, providerSlug: 'platform:openai', credentialSource: 'platform', status: 'cancelled', httpStatus: 499, requestedModel: 'openai/gpt-4o', servedModel: 'gpt-4o-2024-08-06' }),
        entry(projectId, { requestId: 'no-candidate', createdAt: at(6), apiKeyId: keyA, providerSlug: null, provider: null, credentialSource: null, integrationId: null, status: 'error', httpStatus: 404, errorCode: 'model-not-available', requestedModel: 'mistral/large', servedModel: null }),
      );
    });

    it.each<[string, ListQuery, string[]]>([
      ['from (inclusive)', { from: at(4).toISOString() }, ['no-candidate', 'cancelled', 'virtual-ok']],
      ['to (exclusive)', { to: at(3).toISOString() }, ['byok-error', 'byok-ok']],
      ['from and to', { from: at(2).toISOString(), to: at(4).toISOString() }, ['platform-ok', 'byok-error']],
      ['model, as requested or as served', { model: 'openai/gpt-4o' }, ['cancelled', 'virtual-ok', 'platform-ok']],
      ['model, as served only', { model: 'gpt-4o-2024-08-06' }, ['cancelled', 'platform-ok']],
      ['provider slug', { providerSlug: 'platform:openai' }, ['cancelled', 'platform-ok']],
      ['source byok', { source: 'byok' }, ['virtual-ok', 'byok-error', 'byok-ok']],
      ['source platform', { source: 'platform' }, ['cancelled', 'platform-ok']],
      ['status success', { status: 'success' }, ['virtual-ok', 'platform-ok', 'byok-ok']],
      ['status error', { status: 'error' }, ['no-candidate', 'byok-error']],
      ['status cancelled', { status: 'cancelled' }, ['cancelled']],
      ['API key', { apiKeyId: keyA }, ['no-candidate', 'byok-error', 'byok-ok']],
      ['request id', { requestId: 'platform-ok' }, ['platform-ok']],
      ['several at once', { status: 'error', apiKeyId: keyA, from: at(2).toISOString(), to: at(6).toISOString() }, ['byok-error']],
      ['model with other filters', { model: 'openai/gpt-4o-mini', status: 'error' }, ['byok-error']],
      ['a value nothing matches', { providerSlug: 'nobody' }, []],
    ])('%s', async (_name, query, expected) => {
      expect(await requestIds(projectId, query)).toEqual(expected);
    });
  });

  describe('pagination', () => {
    let projectId: string;
    const all: string[] = [];

    beforeAll(async () => {
      projectId = await createProject(t, w.owner);
      // 23 requests, several in the same millisecond: the id breaks the tie.
      const entries = Array.from({ length: 23 }, (_, i) =>
        entry(projectId, { requestId: `p${String(i).padStart(2, '0')}`, createdAt: at(Math.floor(i / 3)), requestedModel: i % 2 === 0 ? 'openai/gpt-4o' : 'other/model', servedModel: i % 2 === 0 ? null : 'openai/gpt-4o' }),
      );
      await record(...entries);
      const { data } = await list(projectId, { limit: 200 });
      all.push(...data!.items.map((i) => i.requestId));
    });

    async function walk(query: ListQuery): Promise<{ pages: string[][]; lastCursor: string | null | undefined }> {
      const pages: string[][] = [];
      let cursor: string | undefined;
      for (let guard = 0; guard < 50; guard++) {
        const { data, error } = await list(projectId, { ...query, cursor });
        if (!data) throw new Error(JSON.stringify(error));
        pages.push(data.items.map((i) => i.requestId));
        if (!data.nextCursor) return { pages, lastCursor: data.nextCursor };
        cursor = data.nextCursor;
      }
      throw new Error('pagination did not end');
    }

    it('the full listing is ordered newest first, ties by id', () => {
      expect(all).toHaveLength(23);
      expect(new Set(all).size).toBe(23);
      const second = (id: string) => Math.floor(Number(id.slice(1)) / 3);
      for (let i = 1; i < all.length; i++) expect(second(all[i - 1])).toBeGreaterThanOrEqual(second(all[i]));
    });

    it('pages follow nextCursor without gaps or repeats; the last page has no cursor', async () => {
      const { pages, lastCursor } = await walk({ limit: 5 });
      expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
      expect(pages.flat()).toEqual(all);
      expect(lastCursor).toBeNull();
    });

    it('a last page that is exactly full has no cursor', async () => {
      const { pages } = await walk({ limit: 23 });
      expect(pages).toEqual([all]);
    });

    it('pagination keeps the filter, including the model filter', async () => {
      const { pages } = await walk({ limit: 4, model: 'openai/gpt-4o' });
      expect(pages.flat()).toEqual(all);
      const errors = await walk({ limit: 4, model: 'other/model' });
      expect(errors.pages.flat()).toEqual(all.filter((id) => Number(id.slice(1)) % 2 === 1));
    });

    it('the default page is 50', async () => {
      const { data } = await list(projectId);
      expect(data!.items).toHaveLength(23);
      expect(data!.nextCursor).toBeNull();
    });
  });

  it('GET /api/activity/{activityId} shows every candidate tried, in order', async () => {
    const projectId = await createProject(t, w.owner);
    const integrationId = randomUUID();
    await record(
      entry(projectId, {
        requestId: 'failover',
        attempts: [
          { providerSlug: 'openai-main', credentialSource: 'byok', integrationId, outcome: 'failed', reason: 'rate_limited', status: 429, latencyMs: 180 },
          { providerSlug: 'openai-backup', credentialSource: 'byok', integrationId: null, outcome: 'skipped', reason: 'cooling down' },
          { providerSlug: 'platform:openai', credentialSource: 'platform', integrationId: null, outcome: 'ok', status: 200, latencyMs: 402 },
        ],
      }),
    );
    const id = await idOf(projectId, 'failover');
    const { data } = await t.api.GET('/api/activity/{activityId}', { params: { path: { activityId: id } }, ...bearer(w.owner.token) });
    expect(data).toMatchObject({ id, requestId: 'failover', projectId, organizationId: w.owner.organizationId, attemptCount: 3 });
    expect(data!.attempts).toEqual([
      { providerSlug: 'openai-main', credentialSource: 'byok', integrationId, outcome: 'failed', reason: 'rate_limited', status: 429, latencyMs: 180 },
      { providerSlug: 'openai-backup', credentialSource: 'byok', integrationId: null, outcome: 'skipped', reason: 'cooling down', status: null, latencyMs: null },
      { providerSlug: 'platform:openai', credentialSource: 'platform', integrationId: null, outcome: 'ok', reason: null, status: 200, latencyMs: 402 },
    ]);
  });

  it('a request through /v1 is in the activity log under the x-request-id the caller saw', async () => {
    const key = await t.api.POST('/api/projects/{projectId}/api-keys', { params: { path: { projectId: w.projectId } }, body: { name: 'activity' }, ...bearer(w.owner.token) });
    const res = await fetch(`${t.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.data!.key}`, 'content-type': 'application/json', 'x-request-id': 'activity-e2e-proxy-1' },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] }),
    });
    expect(res.headers.get('x-request-id')).toBe('activity-e2e-proxy-1');
    await t.app.get(BatchingActivityWriter).flush();
    const { data } = await list(w.projectId, { requestId: 'activity-e2e-proxy-1' });
    expect(data!.items).toEqual([
      expect.objectContaining({ requestId: 'activity-e2e-proxy-1', apiKeyId: key.data!.id, requestedModel: 'openai/gpt-4o-mini', endpoint: '/v1/chat/completions', httpStatus: res.status }),
    ]);
  });

  describe('who may read', () => {
    let id: string;

    beforeAll(async () => {
      await record(entry(w.projectId, { requestId: 'roles' }));
      id = await idOf(w.projectId, 'roles');
    });

    it('a developer of the project reads its listing and its records', async () => {
      const listing = await list(w.projectId, { requestId: 'roles' }, w.developer.token);
      expect(listing.data!.items.map((i) => i.id)).toEqual([id]);
      const one = await t.api.GET('/api/activity/{activityId}', { params: { path: { activityId: id } }, ...bearer(w.developer.token) });
      expect(one.response.status).toBe(200);
    });

    it('an organization member without a role in the project is refused with 403', async () => {
      expect((await list(w.projectId, {}, w.member.token)).response.status).toBe(403);
      const one = await t.api.GET('/api/activity/{activityId}', { params: { path: { activityId: id } }, ...bearer(w.member.token) });
      expect(one.response.status).toBe(403);
    });

    it('someone from another organization gets 404, as for a record that does not exist', async () => {
      expect((await list(w.projectId, {}, w.outsider.token)).response.status).toBe(404);
      const theirs = await t.api.GET('/api/activity/{activityId}', { params: { path: { activityId: id } }, ...bearer(w.outsider.token) });
      const missing = await t.api.GET('/api/activity/{activityId}', { params: { path: { activityId: randomUUID() } }, ...bearer(w.outsider.token) });
      expect(theirs.response.status).toBe(404);
      const shape = (problem: unknown) => {
        const { type, title, status, detail } = problem as Record<string, unknown>;
        return { type, title, status, detail };
      };
      expect(shape(theirs.error)).toEqual(shape(missing.error));
    });

    it('an owner of another organization does not see this one’s records in their own projects', async () => {
      const stranger = await signUp(t, 'stranger');
      const theirProject = await createProject(t, stranger);
      const { data } = await list(theirProject, {}, stranger.token);
      expect(data!.items).toEqual([]);
    });
  });

  it.each<[string, Record<string, string>, string]>([
    ['an unknown status', { status: 'failed' }, 'status'],
    ['an unknown source', { source: 'mine' }, 'source'],
    ['a limit above 200', { limit: '201' }, 'limit'],
    ['a limit of 0', { limit: '0' }, 'limit'],
    ['a date that is not ISO 8601', { from: 'yesterday' }, 'from'],
    ['an API key id that is not a UUID', { apiKeyId: 'abc' }, 'apiKeyId'],
    ['a cursor this listing did not make', { cursor: 'bm90LWEtY3Vyc29y' }, 'cursor'],
    ['to before from', { from: at(10).toISOString(), to: at(5).toISOString() }, 'to'],
    ['an unknown parameter', { sort: 'asc' }, 'sort'],
  ])('%s is refused with 400 naming the field', async (_name, query, field) => {
    const res = await fetch(`${t.baseUrl}/api/projects/${w.projectId}/activity?${new URLSearchParams(query)}`, bearer(w.owner.token));
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors?: { field: string }[] };
    expect(problem.errors?.map((e) => e.field)).toEqual([field]);
  });
});
