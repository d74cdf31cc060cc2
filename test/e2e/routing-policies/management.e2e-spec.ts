import { startTestApp, TestApp } from '../../support/test-app';
import { bearer, buildWorld, createProject, World } from '../../support/world';

/** Virtual models and gateway configs through the management API: who may do what, and what is refused by name. */

jest.setTimeout(30_000);

type Problem = { status: number; type: string; errors?: { field: string; message: string }[] };

describe('virtual models and gateway configs', () => {
  let t: TestApp;
  let w: World;
  let otherProjectId: string;

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'warn', KEYWAY_PLATFORM_OPENAI_API_KEY: 'sk-platform-openai-EXAMPLE' });
    w = await buildWorld(t);
    otherProjectId = await createProject(t, w.owner, 'elsewhere');
    await createIntegration('openai-main', 'openai', 'all');
    await createIntegration('anthropic-elsewhere', 'anthropic', [otherProjectId]);
  });
  afterAll(() => t.close());

  async function createIntegration(slug: string, provider: 'openai' | 'anthropic', projectScope: 'all' | string[]): Promise<void> {
    const { error } = await t.api.POST('/api/organizations/{orgId}/integrations', {
      params: { path: { orgId: w.owner.organizationId } },
      body: { name: slug, providerSlug: slug, provider, credential: { apiKey: `sk-${slug}-EXAMPLE0123456789` }, projectScope },
      ...bearer(w.owner.token),
    });
    if (error) throw new Error(JSON.stringify(error));
  }

  /** A raw management call: status and parsed body, for bodies the typed client would refuse. */
  async function call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> & Problem }> {
    const res = await fetch(`${t.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown> & Problem) : ({} as Record<string, unknown> & Problem) };
  }

  const virtualModels = (projectId = w.projectId) => `/api/projects/${projectId}/virtual-models`;
  const gatewayConfigs = (projectId = w.projectId) => `/api/projects/${projectId}/gateway-configs`;
  const SMART_TARGETS = [{ providerSlug: 'openai-main', model: 'openai/gpt-4o', weight: 3 }, { providerSlug: 'platform:openai', model: 'gpt-4o-mini' }];

  describe('CRUD and roles', () => {
    it('a project admin creates a gateway config and a virtual model that uses it; a developer reads both', async () => {
      const config = await call('POST', gatewayConfigs(), w.admin.token, { name: 'resilient', strategy: 'fallback', retry: { attempts: 3, onStatus: [429, 503] }, timeoutMs: 20_000 });
      expect(config.status).toBe(201);
      expect(config.body).toMatchObject({ name: 'resilient', strategy: 'fallback', targets: null, retry: { attempts: 3, onStatus: [429, 503] }, timeoutMs: 20_000, projectId: w.projectId });

      const created = await call('POST', virtualModels(), w.admin.token, { name: 'smart', description: 'Best we can afford', targets: SMART_TARGETS, config: 'resilient' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'smart',
        description: 'Best we can afford',
        config: 'resilient',
        targets: [{ providerSlug: 'openai-main', model: 'openai/gpt-4o', weight: 3 }, { providerSlug: 'platform:openai', model: 'gpt-4o-mini', weight: 1 }],
      });

      const list = await t.api.GET('/api/projects/{projectId}/virtual-models', { params: { path: { projectId: w.projectId } }, ...bearer(w.developer.token) });
      expect(list.data?.map((v) => v.name)).toContain('smart');
      const one = await t.api.GET('/api/projects/{projectId}/virtual-models/{virtualModelId}', { params: { path: { projectId: w.projectId, virtualModelId: String(created.body.id) } }, ...bearer(w.developer.token) });
      expect(one.data).toMatchObject({ name: 'smart', config: 'resilient' });
      const configs = await t.api.GET('/api/projects/{projectId}/gateway-configs', { params: { path: { projectId: w.projectId } }, ...bearer(w.developer.token) });
      expect(configs.data?.map((c) => c.name)).toContain('resilient');
    });

    it('a developer cannot create, edit or delete a virtual model or a gateway config', async () => {
      const model = await call('POST', virtualModels(), w.owner.token, { name: 'dev-proof', targets: SMART_TARGETS });
      const config = await call('POST', gatewayConfigs(), w.owner.token, { name: 'dev-proof', strategy: 'loadbalance', retry: { attempts: 1, onStatus: [] }, timeoutMs: 5000 });
      const refused = [
        await call('POST', virtualModels(), w.developer.token, { name: 'mine', targets: SMART_TARGETS }),
        await call('PATCH', `${virtualModels()}/${String(model.body.id)}`, w.developer.token, { description: 'mine now' }),
        await call('DELETE', `${virtualModels()}/${String(model.body.id)}`, w.developer.token),
        await call('POST', gatewayConfigs(), w.developer.token, { name: 'mine', strategy: 'fallback', retry: { attempts: 1, onStatus: [] }, timeoutMs: 5000 }),
        await call('PATCH', `${gatewayConfigs()}/${String(config.body.id)}`, w.developer.token, { timeoutMs: 6000 }),
        await call('DELETE', `${gatewayConfigs()}/${String(config.body.id)}`, w.developer.token),
      ];
      expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403]);
      expect((await call('GET', `${virtualModels()}/${String(model.body.id)}`, w.owner.token)).body).toMatchObject({ description: null });
    });

    it('someone from another organization gets 404 for the list and for each object', async () => {
      const model = await call('POST', virtualModels(), w.owner.token, { name: 'hidden', targets: SMART_TARGETS });
      const config = await call('POST', gatewayConfigs(), w.owner.token, { name: 'hidden', strategy: 'fallback', retry: { attempts: 1, onStatus: [] }, timeoutMs: 5000 });
      const seen = [
        await call('GET', virtualModels(), w.outsider.token),
        await call('GET', `${virtualModels()}/${String(model.body.id)}`, w.outsider.token),
        await call('PATCH', `${virtualModels()}/${String(model.body.id)}`, w.outsider.token, { description: 'x' }),
        await call('DELETE', `${virtualModels()}/${String(model.body.id)}`, w.outsider.token),
        await call('GET', gatewayConfigs(), w.outsider.token),
        await call('GET', `${gatewayConfigs()}/${String(config.body.id)}`, w.outsider.token),
        await call('DELETE', `${gatewayConfigs()}/${String(config.body.id)}`, w.outsider.token),
      ];
      expect(seen.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
    });

    it('an object is not found under another project’s path', async () => {
      const model = await call('POST', virtualModels(), w.owner.token, { name: 'here-only', targets: SMART_TARGETS });
      expect((await call('GET', `${virtualModels(otherProjectId)}/${String(model.body.id)}`, w.owner.token)).status).toBe(404);
    });

    it('an admin edits a virtual model (only the fields sent change) and deletes it', async () => {
      const created = await call('POST', virtualModels(), w.admin.token, { name: 'editable', description: 'first', targets: SMART_TARGETS, config: 'resilient' });
      const path = `${virtualModels()}/${String(created.body.id)}`;
      const edited = await call('PATCH', path, w.admin.token, { targets: [{ providerSlug: 'openai-main', model: 'gpt-4o-mini' }], config: null });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ name: 'editable', description: 'first', config: null, targets: [{ providerSlug: 'openai-main', model: 'gpt-4o-mini', weight: 1 }] });
      expect((await call('DELETE', path, w.admin.token)).status).toBe(204);
      expect((await call('GET', path, w.admin.token)).status).toBe(404);
    });

    it('an admin edits a gateway config; renaming it keeps the virtual models that use it', async () => {
      const config = await call('POST', gatewayConfigs(), w.admin.token, { name: 'to-rename', strategy: 'fallback', retry: { attempts: 2, onStatus: [503] }, timeoutMs: 5000 });
      const model = await call('POST', virtualModels(), w.admin.token, { name: 'follows-rename', targets: SMART_TARGETS, config: 'to-rename' });
      const edited = await call('PATCH', `${gatewayConfigs()}/${String(config.body.id)}`, w.admin.token, { name: 'renamed', strategy: 'loadbalance', targets: [{ providerSlug: 'openai-main', model: 'gpt-4o' }] });
      expect(edited.body).toMatchObject({ name: 'renamed', strategy: 'loadbalance', retry: { attempts: 2, onStatus: [503] }, targets: [{ providerSlug: 'openai-main', model: 'gpt-4o', weight: 1 }] });
      expect((await call('GET', `${virtualModels()}/${String(model.body.id)}`, w.admin.token)).body).toMatchObject({ config: 'renamed' });
    });

    it('a gateway config a virtual model uses cannot be deleted (409) until the virtual model lets it go', async () => {
      const config = await call('POST', gatewayConfigs(), w.owner.token, { name: 'in-use', strategy: 'fallback', retry: { attempts: 1, onStatus: [] }, timeoutMs: 5000 });
      const model = await call('POST', virtualModels(), w.owner.token, { name: 'uses-it', targets: SMART_TARGETS, config: 'in-use' });
      const refused = await call('DELETE', `${gatewayConfigs()}/${String(config.body.id)}`, w.owner.token);
      expect({ status: refused.status, type: refused.body.type }).toEqual({ status: 409, type: 'urn:keyway:problem:gateway-config-in-use' });
      await call('DELETE', `${virtualModels()}/${String(model.body.id)}`, w.owner.token);
      expect((await call('DELETE', `${gatewayConfigs()}/${String(config.body.id)}`, w.owner.token)).status).toBe(204);
    });

    it('deleting a project removes its virtual models and gateway configs, even those that refer to each other', async () => {
      const doomed = await createProject(t, w.owner, 'doomed');
      await call('POST', gatewayConfigs(doomed), w.owner.token, { name: 'linked', strategy: 'fallback', retry: { attempts: 1, onStatus: [] }, timeoutMs: 5000 });
      const model = await call('POST', virtualModels(doomed), w.owner.token, { name: 'linked', targets: [{ providerSlug: 'openai-main', model: 'gpt-4o' }], config: 'linked' });
      expect(model.status).toBe(201);
      expect((await call('DELETE', `/api/projects/${doomed}`, w.owner.token)).status).toBeLessThan(300);
      expect((await call('GET', `${virtualModels(doomed)}/${String(model.body.id)}`, w.owner.token)).status).toBe(404);
    });

    it('names are unique in a project (409 naming name) but may repeat in another project', async () => {
      await call('POST', virtualModels(), w.owner.token, { name: 'twin', targets: SMART_TARGETS });
      const again = await call('POST', virtualModels(), w.owner.token, { name: 'twin', targets: SMART_TARGETS });
      expect({ status: again.status, fields: again.body.errors?.map((e) => e.field) }).toEqual({ status: 409, fields: ['name'] });
      const elsewhere = await call('POST', virtualModels(otherProjectId), w.owner.token, { name: 'twin', targets: [{ providerSlug: 'openai-main', model: 'gpt-4o' }] });
      expect(elsewhere.status).toBe(201);
      await call('POST', gatewayConfigs(), w.owner.token, { name: 'twin', strategy: 'fallback', retry: { attempts: 1, onStatus: [] }, timeoutMs: 5000 });
      const configAgain = await call('POST', gatewayConfigs(), w.owner.token, { name: 'twin', strategy: 'fallback', retry: { attempts: 1, onStatus: [] }, timeoutMs: 5000 });
      expect({ status: configAgain.status, fields: configAgain.body.errors?.map((e) => e.field) }).toEqual({ status: 409, fields: ['name'] });
    });
  });

  describe('bad input is refused with 400 naming each field', () => {
    async function fieldsOf(path: string, body: unknown, method = 'POST'): Promise<{ status: number; fields: string[] | undefined }> {
      const res = await call(method, path, w.owner.token, body);
      return { status: res.status, fields: res.body.errors?.map((e) => e.field) };
    }

    it('a virtual model name that is not one segment of letters, digits, . _ : -', async () => {
      for (const name of ['openai/gpt-4o', 'has space', '-dash', 'x'.repeat(65)]) {
        expect(await fieldsOf(virtualModels(), { name, targets: SMART_TARGETS })).toEqual({ status: 400, fields: ['name'] });
      }
    });

    it('no targets, too many targets, a bad weight', async () => {
      expect(await fieldsOf(virtualModels(), { name: 'none', targets: [] })).toEqual({ status: 400, fields: ['targets'] });
      const many = Array.from({ length: 21 }, () => ({ providerSlug: 'openai-main', model: 'gpt-4o' }));
      expect(await fieldsOf(virtualModels(), { name: 'many', targets: many })).toEqual({ status: 400, fields: ['targets'] });
      expect(await fieldsOf(virtualModels(), { name: 'heavy', targets: [{ providerSlug: 'openai-main', model: 'gpt-4o', weight: 0 }] })).toEqual({ status: 400, fields: ['targets[0].weight'] });
    });

    it('a target naming no integration in scope of the project, a model its integration does not serve, or a platform credential not configured', async () => {
      const targets = [
        { providerSlug: 'openai-main', model: 'gpt-4o' },
        { providerSlug: 'no-such-integration', model: 'gpt-4o' },
        { providerSlug: 'anthropic-elsewhere', model: 'claude-sonnet-4-5' },
        { providerSlug: 'openai-main', model: 'claude-sonnet-4-5' },
        { providerSlug: 'platform:anthropic', model: 'claude-sonnet-4-5' },
      ];
      expect(await fieldsOf(virtualModels(), { name: 'broken', targets })).toEqual({
        status: 400,
        fields: ['targets[1].providerSlug', 'targets[2].providerSlug', 'targets[3].model', 'targets[4].providerSlug'],
      });
    });

    it('a config that is not a gateway config of the project', async () => {
      expect(await fieldsOf(virtualModels(), { name: 'configless', targets: SMART_TARGETS, config: 'no-such-config' })).toEqual({ status: 400, fields: ['config'] });
    });

    it('an edit with a bad target or an unknown field', async () => {
      const created = await call('POST', virtualModels(), w.owner.token, { name: 'patch-me', targets: SMART_TARGETS });
      const path = `${virtualModels()}/${String(created.body.id)}`;
      expect(await fieldsOf(path, { targets: [{ providerSlug: 'openai-main', model: 'nope-model' }] }, 'PATCH')).toEqual({ status: 400, fields: ['targets[0].model'] });
      expect(await fieldsOf(path, { name: null }, 'PATCH')).toEqual({ status: 400, fields: ['name'] });
      expect(await fieldsOf(path, { colour: 'blue' }, 'PATCH')).toEqual({ status: 400, fields: ['colour'] });
    });

    it('a gateway config with an unknown strategy, out-of-range retry, a status it cannot retry on, a timeout out of range', async () => {
      const body = { name: 'bad', strategy: 'random', retry: { attempts: 6, onStatus: [404] }, timeoutMs: 999 };
      const res = await fieldsOf(gatewayConfigs(), body);
      expect(res.status).toBe(400);
      expect(res.fields).toEqual(expect.arrayContaining(['strategy', 'retry.attempts', 'retry.onStatus', 'timeoutMs']));
      expect(await fieldsOf(gatewayConfigs(), { name: 'slow', strategy: 'fallback', retry: { attempts: 1, onStatus: [] }, timeoutMs: 600_001 })).toEqual({ status: 400, fields: ['timeoutMs'] });
      expect(await fieldsOf(gatewayConfigs(), { name: 'no-retry', strategy: 'fallback', timeoutMs: 5000 })).toEqual({ status: 400, fields: ['retry'] });
    });

    it('a gateway config whose targets name what the project cannot reach', async () => {
      const body = { name: 'unreachable', strategy: 'fallback', targets: [{ providerSlug: 'anthropic-elsewhere', model: 'claude-sonnet-4-5' }], retry: { attempts: 1, onStatus: [] }, timeoutMs: 5000 };
      expect(await fieldsOf(gatewayConfigs(), body)).toEqual({ status: 400, fields: ['targets[0].providerSlug'] });
    });
  });
});
