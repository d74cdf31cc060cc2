import OpenAI from 'openai';
import { startTestApp, TestApp } from '../../support/test-app';
import { bearer, buildWorld, World } from '../../support/world';

describe('gateway API keys and GET /v1/models', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    t = await startTestApp({ KEYWAY_PLATFORM_DEEPSEEK_API_KEY: 'sk-platform-deepseek-EXAMPLE' });
    w = await buildWorld(t);
  });
  afterAll(() => t.close());

  async function createKey(token: string, name = 'service'): Promise<{ id: string; key: string; prefix: string }> {
    const { data, error } = await t.api.POST('/api/projects/{projectId}/api-keys', { params: { path: { projectId: w.projectId } }, body: { name }, ...bearer(token) });
    if (!data) throw new Error(JSON.stringify(error));
    return data;
  }

  function sdk(key: string): OpenAI {
    return new OpenAI({ apiKey: key, baseURL: `${t.baseUrl}/v1`, maxRetries: 0 });
  }

  it('a new key is shown once with the kw- prefix, then listed only by its prefix', async () => {
    const created = await createKey(w.admin.token);
    expect(created.key).toMatch(/^kw-[A-Za-z0-9]{44}$/);
    expect(created.key.startsWith(created.prefix)).toBe(true);
    const list = await t.api.GET('/api/projects/{projectId}/api-keys', { params: { path: { projectId: w.projectId } }, ...bearer(w.admin.token) });
    const listed = list.data!.find((k) => k.id === created.id)!;
    expect(listed).toMatchObject({ prefix: created.prefix, status: 'active' });
    expect(JSON.stringify(list.data)).not.toContain(created.key);
  });

  it('the official OpenAI SDK lists the models of the key’s project, BYOK and platform', async () => {
    const created = await createKey(w.owner.token);
    await t.api.POST('/api/organizations/{orgId}/integrations', {
      params: { path: { orgId: w.owner.organizationId } },
      body: { name: 'OpenAI', providerSlug: 'openai-main', provider: 'openai', credential: { apiKey: 'sk-test-EXAMPLEEXAMPLE1234' }, projectScope: [w.projectId] },
      ...bearer(w.owner.token),
    });
    const models = [];
    for await (const model of sdk(created.key).models.list()) models.push(model);
    const ids = models.map((m) => m.id);
    expect(ids).toContain('openai/gpt-4o-mini');
    expect(ids.some((id) => id.startsWith('deepseek/'))).toBe(true);
    expect(models.find((m) => m.id === 'openai/gpt-4o-mini')!.owned_by).toBe('openai-main');
  });

  it('GET /v1/models reflects a change of provisioning on the next call', async () => {
    const created = await createKey(w.owner.token);
    const integration = await t.api.POST('/api/organizations/{orgId}/integrations', {
      params: { path: { orgId: w.owner.organizationId } },
      body: { name: 'Mistral', providerSlug: 'mistral-main', provider: 'mistral', credential: { apiKey: 'mistral-EXAMPLEEXAMPLE1234' }, projectScope: [w.projectId] },
      ...bearer(w.owner.token),
    });
    const ids = async () => {
      const models = [];
      for await (const model of sdk(created.key).models.list()) models.push(model.id);
      return models.filter((id) => id.startsWith('mistral/'));
    };
    const before = await ids();
    expect(before.length).toBeGreaterThan(1);
    const disabled = before[0];
    await t.api.PUT('/api/integrations/{id}/models', { params: { path: { id: integration.data!.id } }, body: { models: { [disabled]: false } }, ...bearer(w.owner.token) });
    expect(await ids()).toEqual(before.filter((id) => id !== disabled));
    await t.api.PUT('/api/integrations/{id}/models', { params: { path: { id: integration.data!.id } }, body: { none: true }, ...bearer(w.owner.token) });
    expect(await ids()).toEqual([]);
  });

  it('a revoked key is refused on the next request, in the OpenAI error format', async () => {
    const created = await createKey(w.developer.token);
    const client = sdk(created.key);
    await client.models.list();
    const revoke = await t.api.DELETE('/api/projects/{projectId}/api-keys/{keyId}', { params: { path: { projectId: w.projectId, keyId: created.id } }, ...bearer(w.developer.token) });
    expect(revoke.data!.status).toBe('revoked');
    await expect(client.models.list()).rejects.toMatchObject({ status: 401, error: { type: 'authentication_error', code: 'invalid-api-key' } });
  });

  it('an unknown, malformed or missing key is 401', async () => {
    for (const key of ['kw-AAAAAAAAAAAABBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', 'sk-not-ours', '']) {
      const res = await fetch(`${t.baseUrl}/v1/models`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { type: 'authentication_error' } });
    }
  });

  it('x-api-key works as Anthropic clients send it', async () => {
    const created = await createKey(w.owner.token);
    const res = await fetch(`${t.baseUrl}/v1/models`, { headers: { 'x-api-key': created.key } });
    expect(res.status).toBe(200);
  });

  it('an expired key is refused', async () => {
    const { data } = await t.api.POST('/api/projects/{projectId}/api-keys', {
      params: { path: { projectId: w.projectId } },
      body: { name: 'short-lived', expiresAt: new Date(Date.now() + 1500).toISOString() },
      ...bearer(w.owner.token),
    });
    expect((await fetch(`${t.baseUrl}/v1/models`, { headers: { 'x-api-key': data!.key } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await fetch(`${t.baseUrl}/v1/models`, { headers: { 'x-api-key': data!.key } })).status).toBe(401);
  });

  it('a developer sees and revokes only their own keys', async () => {
    const adminKey = await createKey(w.admin.token, 'admin-key');
    const mine = await createKey(w.developer.token, 'dev-key');
    const list = await t.api.GET('/api/projects/{projectId}/api-keys', { params: { path: { projectId: w.projectId } }, ...bearer(w.developer.token) });
    const ids = list.data!.map((k) => k.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(adminKey.id);
    const denied = await t.api.DELETE('/api/projects/{projectId}/api-keys/{keyId}', { params: { path: { projectId: w.projectId, keyId: adminKey.id } }, ...bearer(w.developer.token) });
    expect(denied.response.status).toBe(403);
  });

  it('a key of one organization cannot be revoked from another', async () => {
    const created = await createKey(w.owner.token);
    const res = await t.api.DELETE('/api/projects/{projectId}/api-keys/{keyId}', { params: { path: { projectId: w.projectId, keyId: created.id } }, ...bearer(w.outsider.token) });
    expect(res.response.status).toBe(404);
  });

  it('no key secret ever appears in the logs', async () => {
    const created = await createKey(w.owner.token);
    await sdk(created.key).models.list();
    expect(t.logs()).not.toContain(created.key);
    expect(t.logs()).not.toContain('sk-platform-deepseek-EXAMPLE');
  });
});
