import { startTestApp, TestApp } from '../../support/test-app';
import { Account, bearer, signUp } from '../../support/world';

/** DESIGN §4: every provider the gateway supports. */
const DESIGN_PROVIDERS = [
  'openai',
  'anthropic',
  'google',
  'vertex-ai',
  'azure-openai',
  'bedrock',
  'cohere',
  'groq',
  'together-ai',
  'fireworks-ai',
  'deepinfra',
  'baseten',
  'nebius',
  'perplexity',
  'xai',
  'moonshot',
  'minimax',
  'mistral',
  'deepseek',
  'fal-ai',
  'pollo-ai',
];

type FieldProblem = { status: number; type: string; errors: { field: string; message: string }[] };

describe('catalog', () => {
  let t: TestApp;
  let user: Account;
  beforeAll(async () => {
    t = await startTestApp();
    user = await signUp(t, 'catalog-reader');
  });
  afterAll(() => t.close());

  /** Malformed queries the typed client would not let us write, sent as a browser or curl would. */
  async function getProblem(pathAndQuery: string): Promise<{ status: number; contentType: string | null; body: FieldProblem }> {
    const response = await fetch(`${t.baseUrl}${pathAndQuery}`, bearer(user.token));
    return { status: response.status, contentType: response.headers.get('content-type'), body: (await response.json()) as FieldProblem };
  }

  it('a signed-in user sees every supported provider with how its credential is shaped and how many models it has', async () => {
    const { data, response } = await t.api.GET('/api/catalog/providers', bearer(user.token));
    expect(response.status).toBe(200);
    expect(data!.version).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    expect(data!.pricingDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(data!.providers.map((provider) => provider.id).sort()).toEqual([...DESIGN_PROVIDERS].sort());
    for (const provider of data!.providers) expect(provider.modelCount).toBeGreaterThan(0);
    expect(data!.providers.find((provider) => provider.id === 'openai')).toEqual({
      id: 'openai',
      displayName: 'OpenAI',
      apiFamily: 'openai',
      credentialShape: 'api-key',
      authScheme: 'bearer',
      defaultBaseUrl: 'https://api.openai.com/v1',
      docsUrl: expect.stringMatching(/^https:\/\//),
      modelCount: expect.any(Number),
    });
    expect(data!.providers.find((provider) => provider.id === 'bedrock')).toMatchObject({ credentialShape: 'bedrock-iam', authScheme: 'aws-sigv4' });
  });

  it('a provider’s model count matches the models listed for it', async () => {
    const providers = await t.api.GET('/api/catalog/providers', bearer(user.token));
    const anthropic = providers.data!.providers.find((provider) => provider.id === 'anthropic')!;
    const models = await t.api.GET('/api/catalog/models', { params: { query: { provider: 'anthropic' } }, ...bearer(user.token) });
    expect(models.data!.models).toHaveLength(anthropic.modelCount);
  });

  it('a signed-in user lists every model with its prices as numbers', async () => {
    const { data, response } = await t.api.GET('/api/catalog/models', bearer(user.token));
    expect(response.status).toBe(200);
    expect(data!.models.length).toBeGreaterThanOrEqual(120);
    expect(new Set(data!.models.map((model) => model.provider))).toEqual(new Set(DESIGN_PROVIDERS));
    for (const model of data!.models) {
      expect(model.slug).toBe(`${model.provider}/${model.model}`);
      expect(typeof model.pricing.inputPerMTok).toBe('number');
      expect(typeof model.pricing.outputPerMTok).toBe('number');
      for (const price of Object.values(model.pricing)) expect(typeof price).toBe('number');
    }
    expect(data!.models.find((model) => model.slug === 'openai/gpt-4o-mini')).toEqual({
      slug: 'openai/gpt-4o-mini',
      provider: 'openai',
      model: 'gpt-4o-mini',
      displayName: 'GPT-4o mini',
      modality: 'chat',
      contextWindow: 128000,
      maxOutputTokens: 16384,
      capabilities: { streaming: true, tools: true, vision: true },
      pricing: { inputPerMTok: 0.15, outputPerMTok: 0.6, cachedInputPerMTok: 0.075 },
    });
  });

  it('models filtered by provider are all of that provider, slashes in model ids included', async () => {
    const { data } = await t.api.GET('/api/catalog/models', { params: { query: { provider: 'together-ai' } }, ...bearer(user.token) });
    expect(data!.models.length).toBeGreaterThan(0);
    for (const model of data!.models) expect(model.provider).toBe('together-ai');
    expect(data!.models.map((model) => model.slug)).toContain('together-ai/meta-llama/Llama-3.3-70B-Instruct-Turbo');
  });

  it('models filtered by modality are all of that modality', async () => {
    const { data } = await t.api.GET('/api/catalog/models', { params: { query: { modality: 'embedding' } }, ...bearer(user.token) });
    expect(data!.models.length).toBeGreaterThan(0);
    for (const model of data!.models) expect(model.modality).toBe('embedding');
    expect(data!.models.map((model) => model.slug)).toContain('openai/text-embedding-3-small');
  });

  it('models filtered by provider and modality match both, with media prices per image or per second', async () => {
    const images = await t.api.GET('/api/catalog/models', { params: { query: { provider: 'fal-ai', modality: 'image' } }, ...bearer(user.token) });
    expect(images.data!.models.length).toBeGreaterThan(0);
    for (const model of images.data!.models) {
      expect(model).toMatchObject({ provider: 'fal-ai', modality: 'image' });
      expect(typeof model.pricing.perImage).toBe('number');
    }
    const videos = await t.api.GET('/api/catalog/models', { params: { query: { provider: 'fal-ai', modality: 'video' } }, ...bearer(user.token) });
    expect(videos.data!.models.length).toBeGreaterThan(0);
    for (const model of videos.data!.models) {
      expect(model).toMatchObject({ provider: 'fal-ai', modality: 'video' });
      expect(typeof model.pricing.perSecond).toBe('number');
    }
  });

  it('a price a model is not billed by is absent, not null', async () => {
    const { data } = await t.api.GET('/api/catalog/models', { params: { query: { provider: 'openai', modality: 'chat' } }, ...bearer(user.token) });
    const mini = data!.models.find((model) => model.slug === 'openai/gpt-4o-mini')!;
    expect(Object.keys(mini.pricing).sort()).toEqual(['cachedInputPerMTok', 'inputPerMTok', 'outputPerMTok']);
    expect(JSON.stringify(data)).not.toContain('null');
  });

  it('without a token, or with a forged one, the catalog is 401', async () => {
    expect((await t.api.GET('/api/catalog/providers')).response.status).toBe(401);
    expect((await t.api.GET('/api/catalog/models')).response.status).toBe(401);
    const forged = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    expect((await t.api.GET('/api/catalog/models', bearer(forged))).response.status).toBe(401);
  });

  it('an unknown provider is a 400 naming the provider field and the allowed values', async () => {
    const { status, contentType, body } = await getProblem('/api/catalog/models?provider=acme');
    expect(status).toBe(400);
    expect(contentType).toContain('application/problem+json');
    expect(body.type).toBe('urn:keyway:problem:validation-failed');
    expect(body.errors).toEqual([{ field: 'provider', message: expect.stringMatching(/^must be one of: openai, anthropic, .*pollo-ai$/) }]);
  });

  it('an unknown modality is a 400 naming the modality field', async () => {
    const { status, contentType, body } = await getProblem('/api/catalog/models?provider=openai&modality=audio');
    expect(status).toBe(400);
    expect(contentType).toContain('application/problem+json');
    expect(body.errors).toEqual([{ field: 'modality', message: 'must be one of: chat, embedding, image, video' }]);
  });

  it('a provider given twice is a 400, not a silently widened filter', async () => {
    const { status, body } = await getProblem('/api/catalog/models?provider=openai&provider=anthropic');
    expect(status).toBe(400);
    expect(body.errors.map((error) => error.field)).toEqual(['provider']);
  });

  it('an unknown query parameter is a 400 naming it', async () => {
    const { status, contentType, body } = await getProblem('/api/catalog/models?providr=openai');
    expect(status).toBe(400);
    expect(contentType).toContain('application/problem+json');
    expect(body.errors).toEqual([{ field: 'providr', message: 'is not a known field' }]);
  });
});
