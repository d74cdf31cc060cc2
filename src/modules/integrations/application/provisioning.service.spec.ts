import { KeywayConfig } from '../../../platform/config/keyway-config';
import type { SealedSecret } from '../../../platform/crypto/envelope';
import { Catalog, CatalogData, ModelEntry, PROVIDER_IDS, ProviderId } from '../../catalog/domain/catalog';
import { ModelsNotOfferedByProvider } from '../../catalog/domain/catalog.errors';
import { CustomModel } from '../domain/custom-model';
import { CustomModelNotFound, CustomModelSlugTaken, InvalidCustomModel } from '../domain/custom-model.errors';
import { AdvancedOptions, AuditEvent, Integration } from '../domain/integration';
import { IntegrationNotFound } from '../domain/integration.errors';
import type { RequestContext } from './integration.service';
import { CustomModelRepository } from './ports/custom-model-repository.port';
import { IntegrationChange, IntegrationChanges } from './ports/integration-changes.port';
import { AuditLog, IntegrationRepository } from './ports/integration-repository.port';
import { ProvisioningService } from './provisioning.service';

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
    models: [aModel('openai', 'gpt-4o'), aModel('openai', 'gpt-4o-mini'), aModel('openai', 'o3'), aModel('anthropic', 'claude-haiku')],
  };
  return new Catalog(data);
}

const SEALED: SealedSecret = { v: 1, alg: 'A256GCM', kekId: 'v1', wrappedKey: 'k', iv: 'i', tag: 't', ciphertext: 'c' };

function anIntegration(options: Partial<AdvancedOptions> = {}): Integration {
  return new Integration(
    '7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098',
    'org-1',
    'OpenAI prod',
    'openai-prod',
    'openai',
    null,
    'all',
    SEALED,
    { mask: 'sk-••••abcd', fingerprint: 'fp_1', details: {} },
    { customHost: null, apiFormat: null, weight: 1, rpmLimit: null, alwaysUse: false, dailyBudgetUsd: null, monthlyBudgetUsd: null, region: null, ...options },
    'user-1',
  );
}

/**
 * Only the members of the integration repository provisioning uses (findById, updateProvisioning); the service uses
 * nothing else of it, and a call to another member would fail the test.
 */
function fakeIntegrations(integration: Integration | null): { repo: IntegrationRepository; saved: Integration[] } {
  const saved: Integration[] = [];
  const used: Pick<IntegrationRepository, 'findById' | 'updateProvisioning'> = {
    findById: async (id) => (integration?.id === id ? integration : null),
    updateProvisioning: async (id, provisioning) => {
      if (integration?.id === id) saved.push(Object.assign(Object.create(Object.getPrototypeOf(integration)) as Integration, integration, { provisioning }));
    },
  };
  return { repo: used as IntegrationRepository, saved };
}

class FakeCustomModels implements CustomModelRepository {
  readonly rows = new Map<string, CustomModel>();
  async listByIntegration(integrationId: string): Promise<CustomModel[]> {
    return [...this.rows.values()].filter((m) => m.integrationId === integrationId).sort((a, b) => a.modelSlug.localeCompare(b.modelSlug));
  }
  async listByIntegrationIds(ids: readonly string[]): Promise<CustomModel[]> {
    return [...this.rows.values()].filter((m) => ids.includes(m.integrationId));
  }
  async find(integrationId: string, modelSlug: string): Promise<CustomModel | null> {
    return [...this.rows.values()].find((m) => m.integrationId === integrationId && m.modelSlug === modelSlug) ?? null;
  }
  async save(model: CustomModel): Promise<void> {
    this.rows.set(model.id, model);
  }
  async delete(id: string): Promise<boolean> {
    return this.rows.delete(id);
  }
}

class FakeAudit implements AuditLog {
  readonly events: AuditEvent[] = [];
  async record(event: AuditEvent): Promise<void> {
    this.events.push(event);
  }
  async list(): Promise<AuditEvent[]> {
    return this.events;
  }
}

class FakeChanges implements IntegrationChanges {
  readonly published: IntegrationChange[] = [];
  async publish(change: IntegrationChange): Promise<void> {
    this.published.push(change);
  }
  subscribe(): () => void {
    return () => undefined;
  }
}

const ctx: RequestContext = { actor: { userId: 'user-1', email: 'owner@example.com', orgRoles: new Map([['org-1', 'owner']]), projectRoles: new Map() }, ip: '203.0.113.7' };

function setUp(integration: Integration | null = anIntegration(), allowPrivateHosts = false) {
  const integrations = fakeIntegrations(integration);
  const customModels = new FakeCustomModels();
  const audit = new FakeAudit();
  const changes = new FakeChanges();
  const config = new KeywayConfig({ KEYWAY_ALLOW_PRIVATE_HOSTS: String(allowPrivateHosts) });
  const service = new ProvisioningService(integrations.repo, customModels, audit, changes, aCatalog(), config);
  return { service, integrations, customModels, audit, changes, id: integration?.id ?? 'missing' };
}

const PRICES = { inputPricePerMTok: 0.3, outputPricePerMTok: 1.2 };

describe('model provisioning', () => {
  it('a new integration has every model of its provider enabled, and only those', async () => {
    const { service, id } = setUp();
    const view = await service.view(id);
    expect(view.autoEnable).toBe(true);
    expect(view.models.map(({ model, enabled }) => [model.slug, enabled])).toEqual([
      ['openai/gpt-4o', true],
      ['openai/gpt-4o-mini', true],
      ['openai/o3', true],
    ]);
  });

  it('toggling one model saves it, records who did it and tells the caches', async () => {
    const { service, integrations, audit, changes, id } = setUp();
    const view = await service.change(id, { change: { models: { 'openai/o3': false } } }, ctx);
    expect(view.models.find((m) => m.model.slug === 'openai/o3')?.enabled).toBe(false);
    expect(integrations.saved[0].provisioning).toEqual({ autoEnable: true, overrides: { 'openai/o3': false } });
    expect(audit.events.map((e) => [e.action, e.details])).toEqual([['integration.models_changed', { change: 'models', enabled: [], disabled: ['openai/o3'], autoEnable: true }]]);
    expect(changes.published).toEqual([{ integrationId: id, organizationId: 'org-1', kind: 'models' }]);
  });

  it('none turns every model and autoEnable off; an explicit autoEnable wins', async () => {
    const { service, id } = setUp();
    const none = await service.change(id, { change: { none: true } }, ctx);
    expect(none.autoEnable).toBe(false);
    expect(none.models.every((m) => !m.enabled)).toBe(true);
    const allButManual = await service.change(id, { change: { all: true }, autoEnable: false }, ctx);
    expect(allButManual.autoEnable).toBe(false);
    expect(allButManual.models.every((m) => m.enabled)).toBe(true);
  });

  it("a slug of another provider is refused and nothing changes", async () => {
    const { service, integrations, audit, changes, id } = setUp();
    await expect(service.change(id, { change: { models: { 'anthropic/claude-haiku': true, 'openai/o3': false } } }, ctx)).rejects.toBeInstanceOf(ModelsNotOfferedByProvider);
    expect([integrations.saved, audit.events, changes.published]).toEqual([[], [], []]);
  });

  it('the proxy routes enabled catalog models and every custom model', async () => {
    const integration = anIntegration();
    const { service } = setUp(integration);
    await service.change(integration.id, { change: { models: { 'openai/gpt-4o': false } } }, ctx);
    await service.createCustomModel(integration.id, { modelSlug: 'ft:gpt-4o-mini:acme', ...PRICES }, ctx);
    const routable = await service.routableModels(integration);
    expect(routable.catalog.map((m) => m.slug)).toEqual(['openai/gpt-4o-mini', 'openai/o3']);
    expect(routable.custom.map((m) => m.modelSlug)).toEqual(['ft:gpt-4o-mini:acme']);
  });

  it('a missing integration is not found', async () => {
    const { service } = setUp(null);
    await expect(service.view('7e6d5c4b-0000-4817-a6f5-e4d3c2b1a098')).rejects.toBeInstanceOf(IntegrationNotFound);
  });
});

describe('custom models', () => {
  it('an owner adds one; it is listed, audited and announced', async () => {
    const { service, audit, changes, id } = setUp();
    const created = await service.createCustomModel(id, { modelSlug: 'llama-3.1-8b.q4', baseModel: 'openai/gpt-4o-mini', ...PRICES, additionalPricing: { cache_read_input_tokens: 0.1 } }, ctx);
    expect(created).toMatchObject({ integrationId: id, organizationId: 'org-1', modelSlug: 'llama-3.1-8b.q4', baseModel: 'openai/gpt-4o-mini', customHost: null, ...PRICES });
    expect((await service.listCustomModels(id)).map((m) => m.modelSlug)).toEqual(['llama-3.1-8b.q4']);
    expect(audit.events[0].details).toEqual({ customModel: 'created', modelSlug: 'llama-3.1-8b.q4' });
    expect(changes.published).toHaveLength(1);
  });

  it('a second custom model with the same slug is a conflict', async () => {
    const { service, id } = setUp();
    await service.createCustomModel(id, { modelSlug: 'mine', ...PRICES }, ctx);
    await expect(service.createCustomModel(id, { modelSlug: 'mine', ...PRICES }, ctx)).rejects.toBeInstanceOf(CustomModelSlugTaken);
  });

  it('renaming onto another custom model’s slug is a conflict', async () => {
    const { service, id } = setUp();
    await service.createCustomModel(id, { modelSlug: 'a', ...PRICES }, ctx);
    await service.createCustomModel(id, { modelSlug: 'b', ...PRICES }, ctx);
    await expect(service.updateCustomModel(id, 'b', { modelSlug: 'a' }, ctx)).rejects.toBeInstanceOf(CustomModelSlugTaken);
  });

  it('a base model whose API the integration does not speak is refused naming baseModel', async () => {
    const { service, customModels, id } = setUp();
    const refused = service.createCustomModel(id, { modelSlug: 'mine', baseModel: 'anthropic/claude-haiku', ...PRICES }, ctx);
    await expect(refused).rejects.toBeInstanceOf(InvalidCustomModel);
    await expect(refused).rejects.toMatchObject({ errors: [{ field: 'baseModel' }] });
    expect(customModels.rows.size).toBe(0);
  });

  it('an Anthropic base model is fine when the integration’s custom host speaks Anthropic', async () => {
    const { service, id } = setUp(anIntegration({ customHost: 'https://proxy.example.com', apiFormat: 'anthropic' }));
    await expect(service.createCustomModel(id, { modelSlug: 'mine', baseModel: 'anthropic/claude-haiku', ...PRICES }, ctx)).resolves.toBeInstanceOf(CustomModel);
  });

  it('a metadata address as custom host is refused naming customHost unless private hosts are allowed', async () => {
    const refusing = setUp();
    await expect(refusing.service.createCustomModel(refusing.id, { modelSlug: 'mine', customHost: 'http://169.254.169.254', ...PRICES }, ctx)).rejects.toMatchObject({
      errors: [{ field: 'customHost', message: expect.stringContaining('KEYWAY_ALLOW_PRIVATE_HOSTS') }],
    });
    const allowing = setUp(anIntegration(), true);
    await expect(allowing.service.createCustomModel(allowing.id, { modelSlug: 'mine', customHost: 'http://169.254.169.254', ...PRICES }, ctx)).resolves.toBeInstanceOf(CustomModel);
  });

  it('an edit changes only the fields sent; null clears', async () => {
    const { service, id } = setUp();
    await service.createCustomModel(id, { modelSlug: 'mine', baseModel: 'openai/gpt-4o', ...PRICES, additionalPricing: { cache_read_input_tokens: 0.1 } }, ctx);
    const edited = await service.updateCustomModel(id, 'mine', { outputPricePerMTok: 2, additionalPricing: null }, ctx);
    expect(edited.fields()).toEqual({ modelSlug: 'mine', baseModel: 'openai/gpt-4o', customHost: null, inputPricePerMTok: 0.3, outputPricePerMTok: 2, additionalPricing: null });
  });

  it('an edit with a negative price is refused and changes nothing', async () => {
    const { service, id } = setUp();
    await service.createCustomModel(id, { modelSlug: 'mine', ...PRICES }, ctx);
    await expect(service.updateCustomModel(id, 'mine', { inputPricePerMTok: -1 }, ctx)).rejects.toMatchObject({ errors: [{ field: 'inputPricePerMTok' }] });
    expect((await service.getCustomModel(id, 'mine')).inputPricePerMTok).toBe(0.3);
  });

  it('a removed custom model is gone', async () => {
    const { service, audit, id } = setUp();
    await service.createCustomModel(id, { modelSlug: 'mine', ...PRICES }, ctx);
    await service.deleteCustomModel(id, 'mine', ctx);
    await expect(service.getCustomModel(id, 'mine')).rejects.toBeInstanceOf(CustomModelNotFound);
    await expect(service.deleteCustomModel(id, 'mine', ctx)).rejects.toBeInstanceOf(CustomModelNotFound);
    expect(audit.events.map((e) => e.details.customModel)).toEqual(['created', 'deleted']);
  });
});
