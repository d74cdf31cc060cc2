import { Catalog, CatalogData, PROVIDER_IDS, ProviderEntry, ProviderId } from '../../catalog/domain/catalog';
import { computeCostUsd } from '../../catalog/domain/cost';
import { CustomModel, CustomModelFields, additionalPricingProblems, apiFamiliesSpoken, baseModelProblem, customModelFieldProblems } from './custom-model';

const FAMILIES: Partial<Record<ProviderId, ProviderEntry['apiFamily']>> = { anthropic: 'anthropic', cohere: 'cohere', bedrock: 'bedrock' };

function aCatalog(): Catalog {
  const data: CatalogData = {
    version: '2026-11-25.1',
    pricingDate: '2026-11-25',
    sources: [{ name: 'test', url: 'https://example.com' }],
    providers: PROVIDER_IDS.map((id) => ({
      id,
      displayName: id,
      apiFamily: FAMILIES[id] ?? 'openai',
      credentialShape: 'api-key',
      authScheme: 'bearer',
      defaultBaseUrl: `https://${id}.example.com/v1`,
      docsUrl: 'https://example.com/docs',
    })),
    models: [
      { slug: 'openai/gpt-4o-mini', provider: 'openai', model: 'gpt-4o-mini', displayName: 'GPT-4o mini', modality: 'chat', capabilities: { streaming: true, tools: true, vision: true }, pricing: { inputPerMTok: 0.15, outputPerMTok: 0.6 } },
      { slug: 'groq/llama-3.3-70b', provider: 'groq', model: 'llama-3.3-70b', displayName: 'Llama', modality: 'chat', capabilities: { streaming: true, tools: true, vision: false }, pricing: { inputPerMTok: 0.5, outputPerMTok: 0.8 } },
      { slug: 'anthropic/claude-haiku', provider: 'anthropic', model: 'claude-haiku', displayName: 'Haiku', modality: 'chat', capabilities: { streaming: true, tools: true, vision: true }, pricing: { inputPerMTok: 1, outputPerMTok: 5 } },
    ],
  };
  return new Catalog(data);
}

function fields(overrides: Partial<CustomModelFields> = {}): CustomModelFields {
  return { modelSlug: 'ft:gpt-4o-mini:acme:v2', baseModel: null, customHost: null, inputPricePerMTok: 0.3, outputPricePerMTok: 1.2, additionalPricing: null, ...overrides };
}

const catalog = aCatalog();
const NO_HOST = { customHost: null, apiFormat: null };

describe('custom model values', () => {
  it('a slug with dots, dashes, colons and underscores is accepted', () => {
    for (const modelSlug of ['ft:gpt-4o-mini:acme:v2', 'llama-3.1_8b.q4', 'A', 'x'.repeat(128)]) {
      expect(customModelFieldProblems(fields({ modelSlug }))).toEqual([]);
    }
  });

  it('a slug with a slash, a space, a leading dot or over 128 characters is refused naming modelSlug', () => {
    for (const modelSlug of ['org/model', 'my model', '.hidden', '-x', '', 'x'.repeat(129), 'ümlaut']) {
      expect(customModelFieldProblems(fields({ modelSlug }))).toEqual([{ field: 'modelSlug', message: expect.stringContaining('letters, digits') }]);
    }
  });

  it('prices must be finite and not negative; zero is a price', () => {
    expect(customModelFieldProblems(fields({ inputPricePerMTok: 0, outputPricePerMTok: 0 }))).toEqual([]);
    expect(customModelFieldProblems(fields({ inputPricePerMTok: -0.01, outputPricePerMTok: Number.NaN })).map((e) => e.field)).toEqual(['inputPricePerMTok', 'outputPricePerMTok']);
    expect(customModelFieldProblems(fields({ outputPricePerMTok: Number.POSITIVE_INFINITY })).map((e) => e.field)).toEqual(['outputPricePerMTok']);
  });

  it('fields that are not given are not checked', () => {
    expect(customModelFieldProblems({})).toEqual([]);
    expect(customModelFieldProblems({ inputPricePerMTok: 2 })).toEqual([]);
  });
});

describe('additional pricing', () => {
  it('an object of token categories to prices is accepted', () => {
    expect(additionalPricingProblems({ cache_read_input_tokens: 0.3, cache_creation_input_tokens: 3.75, audio_input_tokens: 0 })).toEqual([]);
  });

  it('something other than an object is refused naming additionalPricing', () => {
    for (const value of [[], 'cheap', 3, null]) {
      expect(additionalPricingProblems(value)).toEqual([{ field: 'additionalPricing', message: expect.stringContaining('object') }]);
    }
  });

  it('a category that is not lowercase snake case is refused naming the category', () => {
    expect(additionalPricingProblems({ 'Cache-Read': 1, ['x'.repeat(65)]: 1 }).map((e) => e.field)).toEqual(['additionalPricing.Cache-Read', `additionalPricing.${'x'.repeat(65)}`]);
  });

  it('a negative, textual or missing price is refused naming the category', () => {
    expect(additionalPricingProblems({ cache_read_input_tokens: -1, reasoning_tokens: '2', audio_tokens: null }).map((e) => e.field)).toEqual([
      'additionalPricing.cache_read_input_tokens',
      'additionalPricing.reasoning_tokens',
      'additionalPricing.audio_tokens',
    ]);
  });

  it('more than 20 prices are refused', () => {
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`category_${i}`, 1]));
    expect(additionalPricingProblems(many)).toEqual([{ field: 'additionalPricing', message: 'must have at most 20 prices' }]);
    expect(additionalPricingProblems(Object.fromEntries(Object.entries(many).slice(0, 20)))).toEqual([]);
  });

  it('is checked with the other values', () => {
    expect(customModelFieldProblems(fields({ additionalPricing: { cache_read_input_tokens: -1 } })).map((e) => e.field)).toEqual(['additionalPricing.cache_read_input_tokens']);
  });
});

describe('base model', () => {
  it('a catalog model of a provider speaking the same API is a valid base, even of another provider', () => {
    const openai = catalog.requireProvider('openai');
    expect(baseModelProblem('openai/gpt-4o-mini', apiFamiliesSpoken(openai, NO_HOST), catalog)).toBeNull();
    expect(baseModelProblem('groq/llama-3.3-70b', apiFamiliesSpoken(openai, NO_HOST), catalog)).toBeNull();
  });

  it('a model whose API the integration does not speak is refused naming baseModel', () => {
    const openai = catalog.requireProvider('openai');
    expect(baseModelProblem('anthropic/claude-haiku', apiFamiliesSpoken(openai, NO_HOST), catalog)).toEqual({
      field: 'baseModel',
      message: 'follows the anthropic API, which this integration does not speak (it speaks openai)',
    });
  });

  it('a slug that is not in the catalog is refused naming baseModel', () => {
    expect(baseModelProblem('openai/gpt-9', ['openai'], catalog)).toEqual({ field: 'baseModel', message: expect.stringContaining('not a catalog model') });
    expect(baseModelProblem('gpt-4o-mini', ['openai'], catalog)?.field).toBe('baseModel');
  });

  it('a custom host adds the API format it speaks', () => {
    const openai = catalog.requireProvider('openai');
    expect(apiFamiliesSpoken(openai, { customHost: 'https://proxy.example.com', apiFormat: 'anthropic' })).toEqual(['openai', 'anthropic']);
    expect(baseModelProblem('anthropic/claude-haiku', apiFamiliesSpoken(openai, { customHost: 'https://proxy.example.com', apiFormat: 'anthropic' }), catalog)).toBeNull();
  });

  it('an API format without a custom host adds nothing', () => {
    const bedrock = catalog.requireProvider('bedrock');
    expect(apiFamiliesSpoken(bedrock, { customHost: null, apiFormat: 'anthropic' })).toEqual(['bedrock']);
  });
});

describe('custom model', () => {
  it('is priced by its own prices, with additional prices standing in for cache prices', () => {
    const model = CustomModel.create({ integrationId: 'i-1', organizationId: 'o-1' }, fields({ inputPricePerMTok: 2, outputPricePerMTok: 8, additionalPricing: { cache_read_input_tokens: 0.5 } }));
    expect(model.pricing()).toEqual({ inputPerMTok: 2, outputPerMTok: 8, additional: { cache_read_input_tokens: 0.5 } });
    expect(computeCostUsd({ inputTokens: 1_000_000, cachedInputTokens: 500_000, outputTokens: 100_000 }, model.pricing())).toBeCloseTo(1 + 0.25 + 0.8, 9);
  });

  it('applying new values replaces them and moves updatedAt', () => {
    const model = CustomModel.create({ integrationId: 'i-1', organizationId: 'o-1' }, fields());
    const before = model.updatedAt;
    model.apply({ ...model.fields(), modelSlug: 'renamed', baseModel: 'openai/gpt-4o-mini' });
    expect(model.fields()).toEqual(fields({ modelSlug: 'renamed', baseModel: 'openai/gpt-4o-mini' }));
    expect(model.updatedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(model).toMatchObject({ integrationId: 'i-1', organizationId: 'o-1' });
  });
});
