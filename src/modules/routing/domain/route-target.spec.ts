import { Catalog, CatalogData, ModelEntry, PROVIDER_IDS, ProviderId } from '../../catalog/domain/catalog';
import { RouteTarget, TargetOptions, orderByStrategy, targetListProblems, targetReferenceProblems } from './route-target';

function aModel(provider: ProviderId, model: string): ModelEntry {
  return { slug: `${provider}/${model}`, provider, model, displayName: model, modality: 'chat', capabilities: { streaming: true, tools: true, vision: false }, pricing: { inputPerMTok: 1, outputPerMTok: 2 } };
}

function aCatalog(): Catalog {
  const data: CatalogData = {
    version: '2026-11-25.1',
    pricingDate: '2026-11-25',
    sources: [{ name: 'test', url: 'https://example.com' }],
    providers: PROVIDER_IDS.map((id) => ({
      id,
      displayName: id,
      apiFamily: id === 'anthropic' ? 'anthropic' : 'openai',
      credentialShape: 'api-key',
      authScheme: 'bearer',
      defaultBaseUrl: `https://${id}.example.com/v1`,
      docsUrl: 'https://example.com/docs',
    })),
    models: [aModel('openai', 'gpt-4o'), aModel('openai', 'gpt-4o-mini'), aModel('anthropic', 'claude-haiku')],
  };
  return new Catalog(data);
}

const catalog = aCatalog();

const OPTIONS: TargetOptions = {
  integrations: [
    { providerSlug: 'openai-main', provider: 'openai', provisioning: { autoEnable: false, overrides: { 'openai/gpt-4o': true } }, customModelSlugs: ['ft:gpt-4o-mini:acme:v2'] },
    { providerSlug: 'anthropic-prod', provider: 'anthropic', provisioning: { autoEnable: true, overrides: {} }, customModelSlugs: [] },
  ],
  platformProviders: ['openai'],
};

function target(providerSlug: string, model: string, weight = 1): RouteTarget {
  return { providerSlug, model, weight };
}

describe('what a target may name', () => {
  it('accepts an integration in scope with a catalog model of its provider, by slug or by the provider’s own id', () => {
    expect(targetReferenceProblems([target('openai-main', 'openai/gpt-4o'), target('anthropic-prod', 'claude-haiku')], OPTIONS, catalog, 'targets')).toEqual([]);
  });

  it('accepts a catalog model the integration has disabled, since provisioning may change', () => {
    expect(targetReferenceProblems([target('openai-main', 'gpt-4o-mini')], OPTIONS, catalog, 'targets')).toEqual([]);
  });

  it('accepts a custom model of the integration', () => {
    expect(targetReferenceProblems([target('openai-main', 'ft:gpt-4o-mini:acme:v2')], OPTIONS, catalog, 'targets')).toEqual([]);
  });

  it('accepts the platform credential of a configured provider with one of its catalog models', () => {
    expect(targetReferenceProblems([target('platform:openai', 'gpt-4o'), target('platform:openai', 'openai/gpt-4o-mini')], OPTIONS, catalog, 'targets')).toEqual([]);
  });

  it('names the providerSlug of a target whose integration is not in scope of the project', () => {
    expect(targetReferenceProblems([target('openai-main', 'gpt-4o'), target('groq-other', 'llama')], OPTIONS, catalog, 'targets')).toEqual([
      { field: 'targets[1].providerSlug', message: 'is not an integration in scope of this project' },
    ]);
  });

  it('names the model of a target whose integration does not serve it', () => {
    expect(targetReferenceProblems([target('anthropic-prod', 'gpt-4o')], OPTIONS, catalog, 'targets')).toEqual([
      { field: 'targets[0].model', message: 'is neither a catalog model of anthropic nor a custom model of anthropic-prod' },
    ]);
  });

  it('refuses a platform target without a configured platform credential, or with another provider’s model', () => {
    expect(targetReferenceProblems([target('platform:anthropic', 'claude-haiku'), target('platform:openai', 'anthropic/claude-haiku'), target('platform:nope', 'x')], OPTIONS, catalog, 'targets')).toEqual([
      { field: 'targets[0].providerSlug', message: 'no platform credential is configured for anthropic' },
      { field: 'targets[1].model', message: 'is not a catalog model of openai' },
      { field: 'targets[2].providerSlug', message: 'names "nope", which is not a catalog provider' },
    ]);
  });

  it('refuses a target that repeats an earlier one', () => {
    expect(targetReferenceProblems([target('openai-main', 'gpt-4o'), target('openai-main', 'gpt-4o', 5)], OPTIONS, catalog, 'targets')).toEqual([{ field: 'targets[1]', message: 'repeats targets[0]' }]);
  });
});

describe('the shape of a target list', () => {
  it('holds 1 to 20 targets', () => {
    expect(targetListProblems([], 'targets')).toEqual([{ field: 'targets', message: 'must hold 1–20 targets' }]);
    expect(targetListProblems(Array.from({ length: 21 }, (_, i) => target('openai-main', `m${i}`)), 'targets')).toHaveLength(1);
    expect(targetListProblems(Array.from({ length: 20 }, (_, i) => target('openai-main', `m${i}`)), 'targets')).toEqual([]);
  });

  it('names a malformed slug, an empty model and a weight out of range by index', () => {
    expect(targetListProblems([target('Bad Slug', 'gpt-4o'), target('openai-main', ' '), target('openai-main', 'gpt-4o', 0)], 'targets').map((p) => p.field)).toEqual([
      'targets[0].providerSlug',
      'targets[1].model',
      'targets[2].weight',
    ]);
  });
});

describe('ordering targets', () => {
  it('fallback keeps the listed order', () => {
    for (let i = 0; i < 20; i++) expect(orderByStrategy(['a', 'b', 'c'], 'fallback', () => 1)).toEqual(['a', 'b', 'c']);
  });

  it('loadbalance puts a target first in proportion to its weight and keeps the others as fallbacks', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const weights: Record<string, number> = { a: 1, b: 3 };
    let bFirst = 0;
    for (let i = 0; i < 20000; i++) {
      const order = orderByStrategy(['a', 'b'], 'loadbalance', (x) => weights[x], random);
      expect([...order].sort()).toEqual(['a', 'b']);
      if (order[0] === 'b') bFirst += 1;
    }
    expect(bFirst / 20000).toBeGreaterThan(0.72);
    expect(bFirst / 20000).toBeLessThan(0.78);
  });
});
