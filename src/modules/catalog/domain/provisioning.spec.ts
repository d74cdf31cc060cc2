import { Catalog, CatalogData, ModelEntry, PROVIDER_IDS, ProviderId } from './catalog';
import { ModelsNotOfferedByProvider } from './catalog.errors';
import {
  Provisioning,
  applyProvisioningChange,
  enabledCatalogModels,
  isCatalogModelEnabled,
  resolveRoutableModel,
} from './provisioning';

function aModel(provider: ProviderId, model: string): ModelEntry {
  return {
    slug: `${provider}/${model}`,
    provider,
    model,
    displayName: model,
    modality: 'chat',
    contextWindow: 128_000,
    capabilities: { streaming: true, tools: true, vision: false },
    pricing: { inputPerMTok: 1, outputPerMTok: 2 },
  };
}

function aCatalog(models: readonly ModelEntry[]): Catalog {
  const data: CatalogData = {
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
  return new Catalog(data);
}

const catalog = aCatalog([
  aModel('anthropic', 'claude-sonnet-4-6'),
  aModel('anthropic', 'claude-haiku-4-5'),
  aModel('together-ai', 'meta-llama/Llama-3.3-70B-Instruct-Turbo'),
  aModel('openai', 'gpt-4o'),
]);
const anthropicSlugs = catalog.modelsOf('anthropic').map((model) => model.slug);

const autoOn: Provisioning = { autoEnable: true, overrides: {} };
const autoOff: Provisioning = { autoEnable: false, overrides: {} };

describe('isCatalogModelEnabled', () => {
  it('enables every model without an override when autoEnable is on', () => {
    expect(isCatalogModelEnabled(autoOn, 'anthropic/claude-sonnet-4-6')).toBe(true);
  });

  it('enables nothing without an override when autoEnable is off', () => {
    expect(isCatalogModelEnabled(autoOff, 'anthropic/claude-sonnet-4-6')).toBe(false);
  });

  it('lets an override win over autoEnable either way', () => {
    expect(isCatalogModelEnabled({ autoEnable: true, overrides: { 'anthropic/claude-haiku-4-5': false } }, 'anthropic/claude-haiku-4-5')).toBe(false);
    expect(isCatalogModelEnabled({ autoEnable: false, overrides: { 'anthropic/claude-haiku-4-5': true } }, 'anthropic/claude-haiku-4-5')).toBe(true);
  });

  it('a model added to the catalog later is enabled when autoEnable is on', () => {
    const provisioned = applyProvisioningChange(autoOn, { models: { 'anthropic/claude-sonnet-4-6': false } }, anthropicSlugs);
    expect(isCatalogModelEnabled(provisioned, 'anthropic/claude-opus-5')).toBe(true);
    expect(isCatalogModelEnabled(provisioned, 'anthropic/claude-sonnet-4-6')).toBe(false);
  });

  it('a model added to the catalog later stays off when autoEnable is off', () => {
    const provisioned = applyProvisioningChange(autoOff, { models: { 'anthropic/claude-sonnet-4-6': true } }, anthropicSlugs);
    expect(isCatalogModelEnabled(provisioned, 'anthropic/claude-opus-5')).toBe(false);
    expect(isCatalogModelEnabled(provisioned, 'anthropic/claude-sonnet-4-6')).toBe(true);
  });

  it('after "all" a model added later is enabled too, after "none" it is not', () => {
    expect(isCatalogModelEnabled(applyProvisioningChange(autoOff, { all: true }, anthropicSlugs), 'anthropic/claude-opus-5')).toBe(true);
    expect(isCatalogModelEnabled(applyProvisioningChange(autoOn, { none: true }, anthropicSlugs), 'anthropic/claude-opus-5')).toBe(false);
  });

  it('does not mistake inherited object keys for overrides', () => {
    expect(isCatalogModelEnabled(autoOff, 'toString')).toBe(false);
  });
});

describe('applyProvisioningChange', () => {
  it('"all" turns on every current model of the provider', () => {
    const provisioned = applyProvisioningChange({ autoEnable: false, overrides: { 'anthropic/claude-haiku-4-5': false } }, { all: true }, anthropicSlugs);
    expect(enabledCatalogModels(provisioned, catalog.modelsOf('anthropic')).map((model) => model.slug)).toEqual(anthropicSlugs);
    expect(provisioned.autoEnable).toBe(true);
  });

  it('"none" turns off every current model of the provider', () => {
    const provisioned = applyProvisioningChange(autoOn, { none: true }, anthropicSlugs);
    expect(enabledCatalogModels(provisioned, catalog.modelsOf('anthropic'))).toEqual([]);
    expect(provisioned.autoEnable).toBe(false);
  });

  it('per-model toggles merge into the existing overrides', () => {
    const start: Provisioning = { autoEnable: false, overrides: { 'anthropic/claude-sonnet-4-6': true } };
    const provisioned = applyProvisioningChange(start, { models: { 'anthropic/claude-haiku-4-5': true } }, anthropicSlugs);
    expect(provisioned.overrides).toEqual({ 'anthropic/claude-sonnet-4-6': true, 'anthropic/claude-haiku-4-5': true });
    const turnedOff = applyProvisioningChange(provisioned, { models: { 'anthropic/claude-sonnet-4-6': false } }, anthropicSlugs);
    expect(enabledCatalogModels(turnedOff, catalog.modelsOf('anthropic')).map((model) => model.slug)).toEqual(['anthropic/claude-haiku-4-5']);
  });

  it('does not change the provisioning it was given', () => {
    const start: Provisioning = { autoEnable: true, overrides: {} };
    applyProvisioningChange(start, { models: { 'anthropic/claude-haiku-4-5': false } }, anthropicSlugs);
    expect(start.overrides).toEqual({});
  });

  it("refuses to toggle a model the provider does not offer, naming it", () => {
    const change = { models: { 'anthropic/claude-haiku-4-5': true, 'openai/gpt-4o': true, 'anthropic/claude-imaginary': false } };
    const attempt = () => applyProvisioningChange(autoOff, change, anthropicSlugs);
    expect(attempt).toThrow(ModelsNotOfferedByProvider);
    expect(attempt).toThrow(/"openai\/gpt-4o", "anthropic\/claude-imaginary"/);
  });
});

describe('resolveRoutableModel', () => {
  const anthropicIntegration = { provider: 'anthropic' as const, provisioning: autoOn, customModels: [], catalog };

  it('routes an enabled catalog model requested by its full slug', () => {
    const routed = resolveRoutableModel(anthropicIntegration, 'anthropic/claude-sonnet-4-6');
    expect(routed).toEqual({ kind: 'catalog', model: catalog.model('anthropic/claude-sonnet-4-6') });
  });

  it("routes an enabled catalog model requested by the provider's bare model id", () => {
    const routed = resolveRoutableModel(anthropicIntegration, 'claude-haiku-4-5');
    expect(routed).toEqual({ kind: 'catalog', model: catalog.model('anthropic/claude-haiku-4-5') });
  });

  it('routes a bare model id that itself contains a slash', () => {
    const together = { ...anthropicIntegration, provider: 'together-ai' as const };
    expect(resolveRoutableModel(together, 'meta-llama/Llama-3.3-70B-Instruct-Turbo').kind).toBe('catalog');
    expect(resolveRoutableModel(together, 'together-ai/meta-llama/Llama-3.3-70B-Instruct-Turbo').kind).toBe('catalog');
  });

  it('a disabled model is not routable', () => {
    const provisioning = applyProvisioningChange(autoOn, { models: { 'anthropic/claude-haiku-4-5': false } }, anthropicSlugs);
    const integration = { ...anthropicIntegration, provisioning };
    expect(resolveRoutableModel(integration, 'claude-haiku-4-5')).toEqual({ kind: 'not_enabled' });
    expect(resolveRoutableModel(integration, 'anthropic/claude-haiku-4-5')).toEqual({ kind: 'not_enabled' });
  });

  it('nothing is routable through an integration with autoEnable off and no toggles', () => {
    expect(resolveRoutableModel({ ...anthropicIntegration, provisioning: autoOff }, 'claude-sonnet-4-6')).toEqual({ kind: 'not_enabled' });
  });

  it("does not route another provider's model through the integration", () => {
    expect(resolveRoutableModel(anthropicIntegration, 'openai/gpt-4o')).toEqual({ kind: 'unknown' });
    expect(resolveRoutableModel(anthropicIntegration, 'gpt-4o')).toEqual({ kind: 'unknown' });
  });

  it('routes a custom model by its modelSlug, with or without the provider prefix', () => {
    const integration = { ...anthropicIntegration, provisioning: autoOff, customModels: [{ modelSlug: 'claude-finetune-legal' }] };
    expect(resolveRoutableModel(integration, 'claude-finetune-legal')).toEqual({ kind: 'custom', modelSlug: 'claude-finetune-legal' });
    expect(resolveRoutableModel(integration, 'anthropic/claude-finetune-legal')).toEqual({ kind: 'custom', modelSlug: 'claude-finetune-legal' });
  });

  it('a custom model with the same name as a disabled catalog model is still routable', () => {
    const integration = { ...anthropicIntegration, provisioning: autoOff, customModels: [{ modelSlug: 'claude-haiku-4-5' }] };
    expect(resolveRoutableModel(integration, 'claude-haiku-4-5')).toEqual({ kind: 'custom', modelSlug: 'claude-haiku-4-5' });
  });

  it('reports a name that is neither a catalog model nor a custom model as unknown', () => {
    expect(resolveRoutableModel(anthropicIntegration, 'claude-imaginary')).toEqual({ kind: 'unknown' });
  });
});
