import { Catalog, CatalogData, ModelEntry, Modality, PROVIDER_IDS, ProviderId } from './catalog';
import { CatalogInvalid, UnknownModel, UnknownProvider } from './catalog.errors';

function aModel(provider: ProviderId, model: string, modality: Modality = 'chat'): ModelEntry {
  return {
    slug: `${provider}/${model}`,
    provider,
    model,
    displayName: model,
    modality,
    capabilities: { streaming: true, tools: false, vision: false },
    pricing: { inputPerMTok: 1, outputPerMTok: modality === 'embedding' ? 0 : 2 },
  };
}

function aCatalogData(models: readonly ModelEntry[]): CatalogData {
  return {
    version: '2026-11-25.1',
    pricingDate: '2026-11-25',
    sources: [{ name: 'test', url: 'https://example.com' }],
    providers: PROVIDER_IDS.map((id) => ({
      id,
      displayName: id,
      apiFamily: 'openai',
      credentialShape: 'api-key',
      authScheme: 'bearer',
      defaultBaseUrl: `https://${id}.example.com/v1`,
      docsUrl: 'https://example.com/docs',
    })),
    models,
  };
}

const catalog = new Catalog(
  aCatalogData([
    aModel('openai', 'gpt-4o'),
    aModel('openai', 'text-embedding-3-small', 'embedding'),
    aModel('azure-openai', 'gpt-4o'),
    aModel('groq', 'openai/gpt-oss-120b'),
  ]),
);

describe('Catalog', () => {
  it('finds a model by slug, including a provider model id with slashes', () => {
    expect(catalog.model('openai/gpt-4o')?.provider).toBe('openai');
    expect(catalog.model('groq/openai/gpt-oss-120b')?.model).toBe('openai/gpt-oss-120b');
    expect(catalog.model('openai/gpt-oss-120b')).toBeUndefined();
  });

  it('lists models by provider and by modality', () => {
    expect(catalog.modelsOf('openai').map((model) => model.slug)).toEqual(['openai/gpt-4o', 'openai/text-embedding-3-small']);
    expect(catalog.models({ modality: 'embedding' }).map((model) => model.slug)).toEqual(['openai/text-embedding-3-small']);
    expect(catalog.models({ provider: 'openai', modality: 'chat' }).map((model) => model.slug)).toEqual(['openai/gpt-4o']);
    expect(catalog.models()).toHaveLength(4);
    expect(catalog.modelsOf('mistral')).toEqual([]);
  });

  it('finds every provider serving a bare model name', () => {
    expect(catalog.findByModelName('gpt-4o').map((model) => model.slug)).toEqual(['openai/gpt-4o', 'azure-openai/gpt-4o']);
    expect(catalog.findByModelName('openai/gpt-oss-120b').map((model) => model.slug)).toEqual(['groq/openai/gpt-oss-120b']);
    expect(catalog.findByModelName('gpt-9')).toEqual([]);
  });

  it('knows its provider ids', () => {
    expect(catalog.isProviderId('vertex-ai')).toBe(true);
    expect(catalog.isProviderId('acme')).toBe(false);
    expect(catalog.isProviderId(42)).toBe(false);
    expect(catalog.provider('bedrock')?.id).toBe('bedrock');
    expect(catalog.provider('acme')).toBeUndefined();
  });

  it('names the missing provider or model when one is required', () => {
    expect(() => catalog.requireProvider('acme')).toThrow(UnknownProvider);
    expect(() => catalog.requireModel('openai/gpt-9')).toThrow(new UnknownModel('openai/gpt-9'));
  });

  it('cannot be changed through what it returns', () => {
    const model = catalog.model('openai/gpt-4o');
    expect(Object.isFrozen(model)).toBe(true);
    expect(Object.isFrozen(model?.pricing)).toBe(true);
    expect(Object.isFrozen(catalog.models())).toBe(true);
  });

  it('refuses data whose slugs repeat or whose providers are incomplete', () => {
    expect(() => new Catalog(aCatalogData([aModel('openai', 'gpt-4o'), aModel('openai', 'gpt-4o')]))).toThrow(CatalogInvalid);
    const withoutPollo = { ...aCatalogData([]), providers: aCatalogData([]).providers.filter((provider) => provider.id !== 'pollo-ai') };
    expect(() => new Catalog(withoutPollo)).toThrow(/missing provider pollo-ai/);
  });
});
