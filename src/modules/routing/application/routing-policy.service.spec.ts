import { InProcessChangeFeed } from '../../../platform/events/in-process-change-feed.adapter';
import { Catalog, CatalogData, ModelEntry, PROVIDER_IDS, ProviderId } from '../../catalog/domain/catalog';
import { GatewayConfig } from '../domain/gateway-config';
import type { TargetOptions } from '../domain/route-target';
import { GatewayConfigInUse, InvalidRoutingPolicy, RoutingPolicyNameTaken, VirtualModelNotFound } from '../domain/routing-policy.errors';
import { VirtualModel } from '../domain/virtual-model';
import { RoutingPolicyRepository, TargetDirectory } from './ports/routing-policy-repository.port';
import { GatewayConfigInput, RoutingPolicyService } from './routing-policy.service';

function aModel(provider: ProviderId, model: string): ModelEntry {
  return { slug: `${provider}/${model}`, provider, model, displayName: model, modality: 'chat', capabilities: { streaming: true, tools: true, vision: false }, pricing: { inputPerMTok: 1, outputPerMTok: 2 } };
}

function aCatalog(): Catalog {
  const data: CatalogData = {
    version: '2026-11-25.1',
    pricingDate: '2026-11-25',
    sources: [{ name: 'test', url: 'https://example.com' }],
    providers: PROVIDER_IDS.map((id) => ({ id, displayName: id, apiFamily: 'openai', credentialShape: 'api-key', authScheme: 'bearer', defaultBaseUrl: `https://${id}.example.com/v1`, docsUrl: 'https://example.com/docs' })),
    models: [aModel('openai', 'gpt-4o'), aModel('anthropic', 'claude-haiku')],
  };
  return new Catalog(data);
}

/** Keeps rows in maps and counts list queries, with the uniqueness and reference rules of the real tables. */
class InMemoryRoutingPolicies implements RoutingPolicyRepository {
  readonly virtualModels = new Map<string, VirtualModel>();
  readonly configs = new Map<string, GatewayConfig>();
  listQueries = 0;

  async listVirtualModels(projectId: string): Promise<VirtualModel[]> {
    this.listQueries += 1;
    return [...this.virtualModels.values()].filter((v) => v.projectId === projectId);
  }
  async findVirtualModel(id: string): Promise<VirtualModel | null> {
    return this.virtualModels.get(id) ?? null;
  }
  async saveVirtualModel(v: VirtualModel): Promise<void> {
    if ([...this.virtualModels.values()].some((o) => o.id !== v.id && o.projectId === v.projectId && o.name === v.name)) throw new RoutingPolicyNameTaken('virtual model', v.name);
    this.virtualModels.set(v.id, v);
  }
  async deleteVirtualModel(id: string): Promise<boolean> {
    return this.virtualModels.delete(id);
  }
  async listGatewayConfigs(projectId: string): Promise<GatewayConfig[]> {
    return [...this.configs.values()].filter((c) => c.projectId === projectId);
  }
  async findGatewayConfig(id: string): Promise<GatewayConfig | null> {
    return this.configs.get(id) ?? null;
  }
  async saveGatewayConfig(c: GatewayConfig): Promise<void> {
    if ([...this.configs.values()].some((o) => o.id !== c.id && o.projectId === c.projectId && o.name === c.name)) throw new RoutingPolicyNameTaken('gateway config', c.name);
    this.configs.set(c.id, c);
  }
  async deleteGatewayConfig(id: string): Promise<boolean> {
    return this.configs.delete(id);
  }
}

class FixedTargets implements TargetDirectory {
  constructor(private readonly options: TargetOptions) {}
  async optionsFor(): Promise<TargetOptions> {
    return this.options;
  }
}

const PROJECT = { organizationId: 'org-1', projectId: 'project-1' };
const OPTIONS: TargetOptions = {
  integrations: [{ providerSlug: 'openai-main', provider: 'openai', provisioning: { autoEnable: true, overrides: {} }, customModelSlugs: [] }],
  platformProviders: [],
};
const RESILIENT: GatewayConfigInput = { name: 'resilient', strategy: 'fallback', retry: { attempts: 2, onStatus: [503] }, timeoutMs: 5000 };

function setup() {
  const repo = new InMemoryRoutingPolicies();
  const feed = new InProcessChangeFeed();
  const service = new RoutingPolicyService(repo, new FixedTargets(OPTIONS), aCatalog(), feed);
  return { repo, feed, service };
}

async function fieldsOf(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof InvalidRoutingPolicy)) throw new Error(`expected InvalidRoutingPolicy, got ${String(error)}`);
  return (error.errors ?? []).map((e) => e.field);
}

describe('RoutingPolicyService', () => {
  it('creates a virtual model whose targets name an integration of the project, with its config by name', async () => {
    const { service } = setup();
    await service.createGatewayConfig(PROJECT, RESILIENT);
    const view = await service.createVirtualModel(PROJECT, { name: 'smart', targets: [{ providerSlug: 'openai-main', model: 'gpt-4o', weight: 1 }], config: 'resilient' });
    expect(view.config).toBe('resilient');
    expect(view.virtualModel.targets).toEqual([{ providerSlug: 'openai-main', model: 'gpt-4o', weight: 1 }]);
  });

  it('names every field a virtual model gets wrong: its targets by index and an unknown config', async () => {
    const { service } = setup();
    const targets = [
      { providerSlug: 'openai-main', model: 'gpt-4o', weight: 1 },
      { providerSlug: 'anthropic-prod', model: 'claude-haiku', weight: 1 },
      { providerSlug: 'openai-main', model: 'claude-haiku', weight: 1 },
    ];
    expect(await fieldsOf(service.createVirtualModel(PROJECT, { name: 'smart', targets, config: 'nope' }))).toEqual(['config', 'targets[1].providerSlug', 'targets[2].model']);
  });

  it('an edit that leaves the targets alone does not check them again', async () => {
    const { service, repo } = setup();
    const view = await service.createVirtualModel(PROJECT, { name: 'smart', targets: [{ providerSlug: 'openai-main', model: 'gpt-4o', weight: 1 }] });
    // The integration went away meanwhile: the stored target no longer resolves, but a rename is still allowed.
    const broken = new RoutingPolicyService(repo, new FixedTargets({ integrations: [], platformProviders: [] }), aCatalog(), new InProcessChangeFeed());
    await expect(broken.updateVirtualModel('project-1', view.virtualModel.id, { name: 'smarter' })).resolves.toMatchObject({ virtualModel: { name: 'smarter' } });
    expect(await fieldsOf(broken.updateVirtualModel('project-1', view.virtualModel.id, { targets: [{ providerSlug: 'openai-main', model: 'gpt-4o', weight: 1 }] }))).toEqual(['targets[0].providerSlug']);
  });

  it('a virtual model of another project is not found', async () => {
    const { service } = setup();
    const view = await service.createVirtualModel(PROJECT, { name: 'smart', targets: [{ providerSlug: 'openai-main', model: 'gpt-4o', weight: 1 }] });
    await expect(service.getVirtualModel('project-2', view.virtualModel.id)).rejects.toBeInstanceOf(VirtualModelNotFound);
  });

  it('a gateway config used by a virtual model cannot be deleted, and a cleared config can', async () => {
    const { service } = setup();
    const config = await service.createGatewayConfig(PROJECT, RESILIENT);
    const view = await service.createVirtualModel(PROJECT, { name: 'smart', targets: [{ providerSlug: 'openai-main', model: 'gpt-4o', weight: 1 }], config: 'resilient' });
    await expect(service.deleteGatewayConfig('project-1', config.id)).rejects.toBeInstanceOf(GatewayConfigInUse);
    await service.updateVirtualModel('project-1', view.virtualModel.id, { config: null });
    await expect(service.deleteGatewayConfig('project-1', config.id)).resolves.toBeUndefined();
  });

  it('a renamed gateway config is still the one its virtual models use', async () => {
    const { service } = setup();
    const config = await service.createGatewayConfig(PROJECT, RESILIENT);
    const view = await service.createVirtualModel(PROJECT, { name: 'smart', targets: [{ providerSlug: 'openai-main', model: 'gpt-4o', weight: 1 }], config: 'resilient' });
    await service.updateGatewayConfig('project-1', config.id, { name: 'sturdy' });
    expect((await service.getVirtualModel('project-1', view.virtualModel.id)).config).toBe('sturdy');
  });

  it('serves the proxy from memory once warm, and reloads a project after any change to it', async () => {
    const { service, repo } = setup();
    await service.createVirtualModel(PROJECT, { name: 'smart', targets: [{ providerSlug: 'openai-main', model: 'gpt-4o', weight: 1 }] });
    const queriesBefore = repo.listQueries;
    expect((await service.forProject('project-1')).virtualModel('smart')).toBeDefined();
    await service.forProject('project-1');
    await service.forProject('project-1');
    expect(repo.listQueries).toBe(queriesBefore + 1);

    await service.createVirtualModel(PROJECT, { name: 'fast', targets: [{ providerSlug: 'openai-main', model: 'gpt-4o', weight: 1 }] });
    expect((await service.forProject('project-1')).virtualModel('fast')).toBeDefined();
  });

  it('drops its copy when another instance announces a change', async () => {
    const { service, repo, feed } = setup();
    expect((await service.forProject('project-1')).virtualModel('smart')).toBeUndefined();
    const elsewhere = VirtualModel.create(PROJECT, { name: 'smart', description: null, targets: [{ providerSlug: 'openai-main', model: 'gpt-4o', weight: 1 }], configId: null });
    await repo.saveVirtualModel(elsewhere);
    feed.deliver('routing-policies', { projectId: 'project-1' });
    expect((await service.forProject('project-1')).virtualModel('smart')).toBeDefined();
  });
});
