import { randomBytes } from 'node:crypto';
import { startTestApp, TestApp } from '../../support/test-app';
import { Account, bearer, buildWorld, createProject, World } from '../../support/world';

/** DESIGN §1 "Model provisioning" and "Custom model", §3 `GET|PUT /models` and `/custom-models`. */

// Booting the app takes ~3 s, more on a busy 2-core machine; the 5 s default is too tight for the hooks.
jest.setTimeout(30_000);

type Problem = { type: string; status: number; errors?: { field: string; message: string }[] };
type RawResponse = { status: number; contentType: string; body: unknown };
type ProvisioningBody = { autoEnable: boolean; models: { slug: string; enabled: boolean }[]; customModels: { modelSlug: string }[] };

const PRICES = { inputPricePerMTok: 0.3, outputPricePerMTok: 1.2 };

async function anOpenAiIntegration(t: TestApp, owner: Account, projectScope: 'all' | string[] = 'all'): Promise<string> {
  const { data, error } = await t.api.POST('/api/organizations/{orgId}/integrations', {
    params: { path: { orgId: owner.organizationId } },
    body: { name: 'OpenAI prod', providerSlug: `openai-${randomBytes(3).toString('hex')}`, provider: 'openai', credential: { apiKey: `sk-test-${randomBytes(16).toString('hex')}` }, projectScope },
    ...bearer(owner.token),
  });
  if (!data) throw new Error(`create integration failed: ${JSON.stringify(error)}`);
  return data.id;
}

/** A request as a browser or curl would send it, for bodies the typed client would not let us write. */
async function send(t: TestApp, method: string, path: string, token: string, body?: unknown): Promise<RawResponse> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${t.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** The status of an answer and the fields its problem+json names. */
function refusal(response: RawResponse): { status: number; problemJson: boolean; fields: string[] } {
  const problem = response.body as Problem | undefined;
  return { status: response.status, problemJson: response.contentType.includes('application/problem+json'), fields: (problem?.errors ?? []).map((e) => e.field) };
}

async function auditTrail(t: TestApp, owner: Account, integrationId: string): Promise<{ action: string; details: Record<string, unknown> }[]> {
  const { data } = await t.api.GET('/api/organizations/{orgId}/audit', { params: { path: { orgId: owner.organizationId }, query: { integrationId } }, ...bearer(owner.token) });
  return (data?.events ?? []).map((e) => ({ action: e.action, details: e.details }));
}

function enabledSlugs(view: ProvisioningBody): string[] {
  return view.models.filter((m) => m.enabled).map((m) => m.slug);
}

describe('provisioning', () => {
  let t: TestApp;
  let world: World;
  beforeAll(async () => {
    t = await startTestApp();
    world = await buildWorld(t);
  });
  afterAll(() => t.close());

  describe('model provisioning', () => {
    async function provisioning(id: string, token = world.owner.token): Promise<ProvisioningBody> {
      const { data, response } = await t.api.GET('/api/integrations/{id}/models', { params: { path: { id } }, ...bearer(token) });
      expect(response.status).toBe(200);
      return data!;
    }

    it('a new integration lists every catalog model of its provider, all enabled, with prices', async () => {
      const id = await anOpenAiIntegration(t, world.owner);
      const view = await provisioning(id);
      const catalog = await t.api.GET('/api/catalog/models', { params: { query: { provider: 'openai' } }, ...bearer(world.owner.token) });
      expect(view.autoEnable).toBe(true);
      expect(view.models.map((m) => m.slug)).toEqual(catalog.data!.models.map((m) => m.slug));
      expect(view.models.every((m) => m.enabled)).toBe(true);
      expect(view.customModels).toEqual([]);
      const { data } = await t.api.GET('/api/integrations/{id}/models', { params: { path: { id } }, ...bearer(world.owner.token) });
      expect(data!.models.find((m) => m.slug === 'openai/gpt-4o-mini')).toEqual({
        slug: 'openai/gpt-4o-mini',
        model: 'gpt-4o-mini',
        displayName: 'GPT-4o mini',
        modality: 'chat',
        enabled: true,
        pricing: { inputPerMTok: 0.15, outputPerMTok: 0.6, cachedInputPerMTok: 0.075 },
      });
    });

    it('the owner turns single models off and on, and GET shows it', async () => {
      const id = await anOpenAiIntegration(t, world.owner);
      const off = await t.api.PUT('/api/integrations/{id}/models', {
        params: { path: { id } },
        body: { models: { 'openai/gpt-4o': false, 'openai/o3': false } },
        ...bearer(world.owner.token),
      });
      expect(off.response.status).toBe(200);
      expect(off.data!.models.filter((m) => !m.enabled).map((m) => m.slug).sort()).toEqual(['openai/gpt-4o', 'openai/o3']);
      expect(off.data!.autoEnable).toBe(true);

      await t.api.PUT('/api/integrations/{id}/models', { params: { path: { id } }, body: { models: { 'openai/o3': true } }, ...bearer(world.owner.token) });
      const view = await provisioning(id);
      expect(view.models.filter((m) => !m.enabled).map((m) => m.slug)).toEqual(['openai/gpt-4o']);
    });

    it('none turns every model and autoEnable off; all turns them back on', async () => {
      const id = await anOpenAiIntegration(t, world.owner);
      const none = await t.api.PUT('/api/integrations/{id}/models', { params: { path: { id } }, body: { none: true }, ...bearer(world.owner.token) });
      expect(none.response.status).toBe(200);
      expect(enabledSlugs(none.data!)).toEqual([]);
      expect(none.data!.autoEnable).toBe(false);
      expect(enabledSlugs(await provisioning(id))).toEqual([]);

      await t.api.PUT('/api/integrations/{id}/models', { params: { path: { id } }, body: { models: { 'openai/gpt-4o-mini': true } }, ...bearer(world.owner.token) });
      expect(enabledSlugs(await provisioning(id))).toEqual(['openai/gpt-4o-mini']);

      await t.api.PUT('/api/integrations/{id}/models', { params: { path: { id } }, body: { all: true }, ...bearer(world.owner.token) });
      const all = await provisioning(id);
      expect(all.autoEnable).toBe(true);
      expect(all.models.every((m) => m.enabled)).toBe(true);
    });

    it('autoEnable can be set with a change and is kept', async () => {
      const id = await anOpenAiIntegration(t, world.owner);
      const manual = await t.api.PUT('/api/integrations/{id}/models', {
        params: { path: { id } },
        body: { models: { 'openai/gpt-4o': true }, autoEnable: false },
        ...bearer(world.owner.token),
      });
      expect(manual.response.status).toBe(200);
      // A model without a toggle of its own follows autoEnable.
      expect(enabledSlugs(manual.data!)).toEqual(['openai/gpt-4o']);
      expect((await provisioning(id)).autoEnable).toBe(false);

      await t.api.PUT('/api/integrations/{id}/models', { params: { path: { id } }, body: { all: true, autoEnable: false }, ...bearer(world.owner.token) });
      const allButManual = await provisioning(id);
      expect(allButManual.autoEnable).toBe(false);
      expect(allButManual.models.every((m) => m.enabled)).toBe(true);
      const integration = await t.api.GET('/api/integrations/{id}', { params: { path: { id } }, ...bearer(world.owner.token) });
      expect(integration.data!.autoEnable).toBe(false);
    });

    it.each([
      ['an unknown slug', { models: { 'openai/gpt-9': true } }, ['models.openai/gpt-9']],
      ["a slug of another provider", { models: { 'anthropic/claude-sonnet-4-5': true, 'openai/gpt-4o': false } }, ['models.anthropic/claude-sonnet-4-5']],
      ['both all and none', { all: true, none: true }, ['all', 'none']],
      ['all with models', { all: true, models: { 'openai/gpt-4o': false } }, ['all', 'models']],
      ['an empty body', {}, ['models']],
      ['only autoEnable', { autoEnable: false }, ['models']],
      ['all: false', { all: false }, ['all']],
      ['none: false', { none: false }, ['none']],
      ['an empty models object', { models: {} }, ['models']],
      ['a toggle that is not a boolean', { models: { 'openai/gpt-4o': 'off' } }, ['models']],
      ['a list instead of an object', { models: ['openai/gpt-4o'] }, ['models']],
      ['an unknown field', { models: { 'openai/gpt-4o': false }, enabled: true }, ['enabled']],
    ])('%s is a 400 naming the field, and nothing changes', async (_case, body, fields) => {
      const id = await anOpenAiIntegration(t, world.owner);
      await t.api.PUT('/api/integrations/{id}/models', { params: { path: { id } }, body: { models: { 'openai/o3': false } }, ...bearer(world.owner.token) });
      const before = await provisioning(id);
      const response = await send(t, 'PUT', `/api/integrations/${id}/models`, world.owner.token, body);
      expect(refusal(response)).toEqual({ status: 400, problemJson: true, fields });
      expect(await provisioning(id)).toEqual(before);
    });

    it('the slug a refused toggle names is in the message, so the caller can fix it', async () => {
      const id = await anOpenAiIntegration(t, world.owner);
      const response = await send(t, 'PUT', `/api/integrations/${id}/models`, world.owner.token, { models: { 'anthropic/claude-sonnet-4-5': true } });
      expect((response.body as Problem).errors).toEqual([{ field: 'models.anthropic/claude-sonnet-4-5', message: "is not a catalog model of the integration's provider" }]);
    });

    it('every change is in the audit trail as integration.models_changed', async () => {
      const id = await anOpenAiIntegration(t, world.owner);
      await t.api.PUT('/api/integrations/{id}/models', { params: { path: { id } }, body: { models: { 'openai/o3': false } }, ...bearer(world.owner.token) });
      await t.api.PUT('/api/integrations/{id}/models', { params: { path: { id } }, body: { none: true }, ...bearer(world.owner.token) });
      await t.api.POST('/api/integrations/{id}/custom-models', { params: { path: { id } }, body: { modelSlug: 'ft-support', ...PRICES }, ...bearer(world.owner.token) });
      const trail = await auditTrail(t, world.owner, id);
      const changes = trail.filter((e) => e.action === 'integration.models_changed').map((e) => e.details);
      expect(changes).toHaveLength(3);
      expect(changes).toEqual(
        expect.arrayContaining([
          { customModel: 'created', modelSlug: 'ft-support' },
          { change: 'none', autoEnable: false },
          { change: 'models', enabled: [], disabled: ['openai/o3'], autoEnable: true },
        ]),
      );
    });
  });

  describe('custom models', () => {
    it('the owner adds, reads, edits and removes a custom model whose slug has dots, dashes, colons and underscores', async () => {
      const id = await anOpenAiIntegration(t, world.owner);
      const modelSlug = 'ft:gpt-4o-mini:acme_support:v2.1';
      const created = await t.api.POST('/api/integrations/{id}/custom-models', {
        params: { path: { id } },
        body: { modelSlug, baseModel: 'openai/gpt-4o-mini', inputPricePerMTok: 0.3, outputPricePerMTok: 1.2, additionalPricing: { cache_read_input_tokens: 0.15 } },
        ...bearer(world.owner.token),
      });
      expect(created.response.status).toBe(201);
      expect(created.data).toEqual({
        id: expect.any(String),
        integrationId: id,
        modelSlug,
        baseModel: 'openai/gpt-4o-mini',
        customHost: null,
        inputPricePerMTok: 0.3,
        outputPricePerMTok: 1.2,
        additionalPricing: { cache_read_input_tokens: 0.15 },
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });

      const read = await t.api.GET('/api/integrations/{id}/custom-models/{modelSlug}', { params: { path: { id, modelSlug } }, ...bearer(world.owner.token) });
      expect(read.data).toEqual(created.data);
      const unencoded = await send(t, 'GET', `/api/integrations/${id}/custom-models/${modelSlug}`, world.owner.token);
      expect(unencoded.status).toBe(200);
      const list = await t.api.GET('/api/integrations/{id}/custom-models', { params: { path: { id } }, ...bearer(world.owner.token) });
      expect(list.data).toEqual([created.data]);
      const view = await t.api.GET('/api/integrations/{id}/models', { params: { path: { id } }, ...bearer(world.owner.token) });
      expect(view.data!.customModels).toEqual([created.data]);

      const edited = await t.api.PATCH('/api/integrations/{id}/custom-models/{modelSlug}', {
        params: { path: { id, modelSlug } },
        body: { outputPricePerMTok: 2.4, additionalPricing: null, baseModel: null },
        ...bearer(world.owner.token),
      });
      expect(edited.response.status).toBe(200);
      expect(edited.data).toMatchObject({ modelSlug, baseModel: null, inputPricePerMTok: 0.3, outputPricePerMTok: 2.4, additionalPricing: null });

      const renamed = await t.api.PATCH('/api/integrations/{id}/custom-models/{modelSlug}', {
        params: { path: { id, modelSlug } },
        body: { modelSlug: 'support-v3' },
        ...bearer(world.owner.token),
      });
      expect(renamed.data).toMatchObject({ id: created.data!.id, modelSlug: 'support-v3', outputPricePerMTok: 2.4 });
      expect((await t.api.GET('/api/integrations/{id}/custom-models/{modelSlug}', { params: { path: { id, modelSlug } }, ...bearer(world.owner.token) })).response.status).toBe(404);

      const removed = await t.api.DELETE('/api/integrations/{id}/custom-models/{modelSlug}', { params: { path: { id, modelSlug: 'support-v3' } }, ...bearer(world.owner.token) });
      expect(removed.response.status).toBe(204);
      expect((await t.api.GET('/api/integrations/{id}/custom-models', { params: { path: { id } }, ...bearer(world.owner.token) })).data).toEqual([]);
      const again = await send(t, 'DELETE', `/api/integrations/${id}/custom-models/support-v3`, world.owner.token);
      expect({ status: again.status, type: (again.body as Problem).type }).toEqual({ status: 404, type: 'urn:keyway:problem:custom-model-not-found' });

      const trail = await auditTrail(t, world.owner, id);
      expect(trail.filter((e) => e.action === 'integration.models_changed').map((e) => e.details.customModel).sort()).toEqual(['created', 'deleted', 'updated', 'updated']);
    });

    it('a second custom model with the same slug on one integration is a 409; on another integration it is fine', async () => {
      const id = await anOpenAiIntegration(t, world.owner);
      const other = await anOpenAiIntegration(t, world.owner);
      const body = { modelSlug: 'shared-name', ...PRICES };
      expect((await send(t, 'POST', `/api/integrations/${id}/custom-models`, world.owner.token, body)).status).toBe(201);
      const duplicate = await send(t, 'POST', `/api/integrations/${id}/custom-models`, world.owner.token, body);
      expect({ ...refusal(duplicate), status: duplicate.status, type: (duplicate.body as Problem).type }).toEqual({
        status: 409,
        problemJson: true,
        fields: ['modelSlug'],
        type: 'urn:keyway:problem:custom-model-slug-taken',
      });
      expect((await send(t, 'POST', `/api/integrations/${other}/custom-models`, world.owner.token, body)).status).toBe(201);

      expect((await send(t, 'POST', `/api/integrations/${id}/custom-models`, world.owner.token, { ...body, modelSlug: 'second' })).status).toBe(201);
      const renameOnto = await send(t, 'PATCH', `/api/integrations/${id}/custom-models/second`, world.owner.token, { modelSlug: 'shared-name' });
      expect(refusal(renameOnto)).toEqual({ status: 409, problemJson: true, fields: ['modelSlug'] });
    });

    it.each([
      ['a base model that is not in the catalog', { baseModel: 'openai/gpt-9' }, ['baseModel']],
      ['a base model whose API an OpenAI integration does not speak', { baseModel: 'anthropic/claude-sonnet-4-5' }, ['baseModel']],
      ['a slug with a slash', { modelSlug: 'acme/support' }, ['modelSlug']],
      ['a slug starting with a dot', { modelSlug: '.support' }, ['modelSlug']],
      ['a negative input price', { inputPricePerMTok: -1 }, ['inputPricePerMTok']],
      ['a textual output price', { outputPricePerMTok: '1.2' }, ['outputPricePerMTok']],
      ['additional pricing that is a list', { additionalPricing: [0.1] }, ['additionalPricing']],
      ['additional pricing with a negative price', { additionalPricing: { cache_read_input_tokens: -0.1 } }, ['additionalPricing']],
      ['additional pricing with a bad category', { additionalPricing: { 'Cache-Read': 0.1 } }, ['additionalPricing']],
      ['more than 20 additional prices', { additionalPricing: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`tokens_${i}`, 1])) }, ['additionalPricing']],
      ['an unknown field', { contextWindow: 8192 }, ['contextWindow']],
    ])('%s is a 400 naming the field, and nothing is created', async (_case, overrides, fields) => {
      const id = await anOpenAiIntegration(t, world.owner);
      const response = await send(t, 'POST', `/api/integrations/${id}/custom-models`, world.owner.token, { modelSlug: 'support', ...PRICES, ...overrides });
      expect(refusal(response)).toEqual({ status: 400, problemJson: true, fields });
      expect((await t.api.GET('/api/integrations/{id}/custom-models', { params: { path: { id } }, ...bearer(world.owner.token) })).data).toEqual([]);
    });

    it('prices are required when adding a custom model', async () => {
      const id = await anOpenAiIntegration(t, world.owner);
      const response = await send(t, 'POST', `/api/integrations/${id}/custom-models`, world.owner.token, { modelSlug: 'support' });
      expect(refusal(response)).toEqual({ status: 400, problemJson: true, fields: ['inputPricePerMTok', 'outputPricePerMTok'] });
    });

    it('an edit that breaks a rule is a 400 and leaves the custom model as it was', async () => {
      const id = await anOpenAiIntegration(t, world.owner);
      const created = await send(t, 'POST', `/api/integrations/${id}/custom-models`, world.owner.token, { modelSlug: 'support', ...PRICES });
      for (const body of [{ baseModel: 'anthropic/claude-sonnet-4-5' }, { inputPricePerMTok: null }, { additionalPricing: { x: -1 } }, { modelSlug: 'a/b' }]) {
        expect((await send(t, 'PATCH', `/api/integrations/${id}/custom-models/support`, world.owner.token, body)).status).toBe(400);
      }
      expect((await send(t, 'GET', `/api/integrations/${id}/custom-models/support`, world.owner.token)).body).toEqual(created.body);
    });

    it('a custom model an integration does not have is a 404', async () => {
      const id = await anOpenAiIntegration(t, world.owner);
      for (const method of ['GET', 'DELETE']) {
        expect((await send(t, method, `/api/integrations/${id}/custom-models/nope`, world.owner.token)).status).toBe(404);
      }
      expect((await send(t, 'PATCH', `/api/integrations/${id}/custom-models/nope`, world.owner.token, PRICES)).status).toBe(404);
    });

    it('custom models go away with their integration', async () => {
      const id = await anOpenAiIntegration(t, world.owner);
      await send(t, 'POST', `/api/integrations/${id}/custom-models`, world.owner.token, { modelSlug: 'support', ...PRICES });
      expect((await t.api.DELETE('/api/integrations/{id}', { params: { path: { id } }, ...bearer(world.owner.token) })).response.status).toBe(204);
      expect((await send(t, 'GET', `/api/integrations/${id}/custom-models`, world.owner.token)).status).toBe(404);
    });
  });

  describe('who may provision models', () => {
    let inScope: string;
    let outOfScope: string;
    beforeAll(async () => {
      inScope = await anOpenAiIntegration(t, world.owner, [world.projectId]);
      outOfScope = await anOpenAiIntegration(t, world.owner, [await createProject(t, world.owner)]);
      await send(t, 'POST', `/api/integrations/${inScope}/custom-models`, world.owner.token, { modelSlug: 'support', ...PRICES });
      await send(t, 'POST', `/api/integrations/${outOfScope}/custom-models`, world.owner.token, { modelSlug: 'support', ...PRICES });
    });

    const mutations = (id: string): [string, string, unknown][] => [
      ['PUT', `/api/integrations/${id}/models`, { none: true }],
      ['POST', `/api/integrations/${id}/custom-models`, { modelSlug: 'theirs', ...PRICES }],
      ['PATCH', `/api/integrations/${id}/custom-models/support`, { inputPricePerMTok: 0 }],
      ['DELETE', `/api/integrations/${id}/custom-models/support`, undefined],
    ];
    const reads = (id: string): string[] => [`/api/integrations/${id}/models`, `/api/integrations/${id}/custom-models`, `/api/integrations/${id}/custom-models/support`];

    it.each(['admin', 'developer'] as const)('a project %s is refused every mutation with 403 and nothing changes', async (role) => {
      const before = await send(t, 'GET', `/api/integrations/${inScope}/models`, world.owner.token);
      for (const [method, path, body] of mutations(inScope)) {
        const response = await send(t, method, path, world[role].token, body);
        expect({ call: `${method} ${path}`, status: response.status }).toEqual({ call: `${method} ${path}`, status: 403 });
      }
      expect((await send(t, 'GET', `/api/integrations/${inScope}/models`, world.owner.token)).body).toEqual(before.body);
    });

    it.each(['admin', 'developer'] as const)('a project %s reads the models of an integration in scope of their project', async (role) => {
      for (const path of reads(inScope)) expect({ path, status: (await send(t, 'GET', path, world[role].token)).status }).toEqual({ path, status: 200 });
    });

    it.each(['admin', 'developer'] as const)('a project %s cannot read the models of an integration outside their projects', async (role) => {
      for (const path of reads(outOfScope)) expect({ path, status: (await send(t, 'GET', path, world[role].token)).status }).toEqual({ path, status: 403 });
    });

    it('the owner of another organization gets 404 on every route, as if the integration did not exist', async () => {
      for (const path of reads(inScope)) expect({ path, status: (await send(t, 'GET', path, world.outsider.token)).status }).toEqual({ path, status: 404 });
      for (const [method, path, body] of mutations(inScope)) {
        expect({ call: `${method} ${path}`, status: (await send(t, method, path, world.outsider.token, body)).status }).toEqual({ call: `${method} ${path}`, status: 404 });
      }
    });
  });

});

describe('custom model hosts when private hosts are not allowed', () => {
  let t: TestApp;
  let owner: Account;
  let id: string;
  beforeAll(async () => {
    t = await startTestApp({ KEYWAY_ALLOW_PRIVATE_HOSTS: 'false' });
    owner = (await buildWorld(t)).owner;
    id = await anOpenAiIntegration(t, owner);
  });
  afterAll(() => t.close());

  it.each(['http://169.254.169.254', 'http://127.0.0.1:8080/v1', 'http://10.0.0.5/v1', 'file:///etc/passwd'])('%s as custom host is a 400 naming customHost', async (customHost) => {
    const response = await send(t, 'POST', `/api/integrations/${id}/custom-models`, owner.token, { modelSlug: 'local', customHost, ...PRICES });
    expect(refusal(response)).toEqual({ status: 400, problemJson: true, fields: ['customHost'] });
  });

  it('an edit to a metadata address is refused too', async () => {
    expect((await send(t, 'POST', `/api/integrations/${id}/custom-models`, owner.token, { modelSlug: 'edited', ...PRICES })).status).toBe(201);
    const response = await send(t, 'PATCH', `/api/integrations/${id}/custom-models/edited`, owner.token, { customHost: 'http://169.254.169.254/latest/meta-data' });
    expect(refusal(response)).toEqual({ status: 400, problemJson: true, fields: ['customHost'] });
    expect((await send(t, 'GET', `/api/integrations/${id}/custom-models/edited`, owner.token)).body).toMatchObject({ customHost: null });
  });

  it('a public host is accepted', async () => {
    const response = await send(t, 'POST', `/api/integrations/${id}/custom-models`, owner.token, { modelSlug: 'public', customHost: 'https://93.184.215.14/v1', ...PRICES });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ customHost: 'https://93.184.215.14/v1' });
  });
});
