import { Injectable } from '@nestjs/common';
import type { FieldError } from '../../../platform/errors/domain-error';
import { ChangeFeed } from '../../../platform/events/change-feed.port';
import { Catalog } from '../../catalog/domain/catalog';
import { GatewayConfig, GatewayConfigFields, RetryPolicy, gatewayConfigProblems } from '../domain/gateway-config';
import { RouteTarget, RoutingStrategy, targetReferenceProblems } from '../domain/route-target';
import { GatewayConfigInUse, GatewayConfigNotFound, InvalidRoutingPolicy, VirtualModelNotFound } from '../domain/routing-policy.errors';
import { VirtualModel, VirtualModelFields, virtualModelProblems } from '../domain/virtual-model';
import { RoutingPolicyRepository, TargetDirectory } from './ports/routing-policy-repository.port';

const CHANNEL = 'routing-policies';

export type ProjectRef = { organizationId: string; projectId: string };

export type VirtualModelInput = { name: string; description?: string | null; targets: readonly RouteTarget[]; config?: string | null };
/** Only the fields sent change; `null` clears `description` or `config`. */
export type VirtualModelPatch = Partial<VirtualModelInput>;
/** A virtual model with the name of its gateway config. */
export type VirtualModelView = { virtualModel: VirtualModel; config: string | null };

export type GatewayConfigInput = { name: string; strategy: RoutingStrategy; targets?: readonly RouteTarget[] | null; retry: RetryPolicy; timeoutMs: number };
/** Only the fields sent change; `null` clears `targets`. */
export type GatewayConfigPatch = Partial<GatewayConfigInput>;

/** A project's virtual models and gateway configs as the proxy reads them: map lookups only. */
export class ProjectPolicies {
  private readonly virtualModelsByName: ReadonlyMap<string, VirtualModel>;
  private readonly configsByName: ReadonlyMap<string, GatewayConfig>;
  private readonly configsById: ReadonlyMap<string, GatewayConfig>;

  constructor(
    readonly virtualModels: readonly VirtualModel[],
    readonly configs: readonly GatewayConfig[],
  ) {
    this.virtualModelsByName = new Map(virtualModels.map((v) => [v.name, v]));
    this.configsByName = new Map(configs.map((c) => [c.name, c]));
    this.configsById = new Map(configs.map((c) => [c.id, c]));
  }

  virtualModel(name: string): VirtualModel | undefined {
    return this.virtualModelsByName.get(name);
  }

  config(name: string): GatewayConfig | undefined {
    return this.configsByName.get(name);
  }

  configOf(virtualModel: VirtualModel): GatewayConfig | undefined {
    return virtualModel.configId ? this.configsById.get(virtualModel.configId) : undefined;
  }
}

/**
 * Virtual models and gateway configs (DESIGN §1): CRUD with their targets checked against the
 * project's integrations and the catalog, and a per-project in-memory copy for the proxy, dropped on
 * every instance through the change feed whenever one of them changes.
 */
@Injectable()
export class RoutingPolicyService {
  private readonly byProject = new Map<string, Promise<ProjectPolicies>>();

  constructor(
    private readonly repo: RoutingPolicyRepository,
    private readonly targets: TargetDirectory,
    private readonly catalog: Catalog,
    private readonly feed: ChangeFeed,
  ) {
    feed.subscribe(CHANNEL, (payload) => {
      if (payload.all) this.byProject.clear();
      else this.byProject.delete(payload.projectId);
    });
  }

  /** The project's policies for the proxy; no database round trip once warm. */
  forProject(projectId: string): Promise<ProjectPolicies> {
    let entry = this.byProject.get(projectId);
    if (!entry) {
      const loading = this.load(projectId);
      this.byProject.set(projectId, loading);
      loading.catch(() => {
        if (this.byProject.get(projectId) === loading) this.byProject.delete(projectId);
      });
      entry = loading;
    }
    return entry;
  }

  async listVirtualModels(projectId: string): Promise<VirtualModelView[]> {
    const [virtualModels, configs] = await Promise.all([this.repo.listVirtualModels(projectId), this.repo.listGatewayConfigs(projectId)]);
    const names = new Map(configs.map((c) => [c.id, c.name]));
    return virtualModels.map((virtualModel) => ({ virtualModel, config: virtualModel.configId ? names.get(virtualModel.configId) ?? null : null }));
  }

  async getVirtualModel(projectId: string, id: string): Promise<VirtualModelView> {
    return this.view(await this.findVirtualModel(projectId, id));
  }

  async createVirtualModel(project: ProjectRef, input: VirtualModelInput): Promise<VirtualModelView> {
    const configId = await this.configIdFor(project.projectId, input.config ?? null);
    const fields: VirtualModelFields = { name: input.name, description: input.description ?? null, targets: input.targets, configId: configId.id };
    await this.check(virtualModelProblems(fields), configId.problems, () => this.referenceProblems(project, fields.targets));
    const virtualModel = VirtualModel.create(project, fields);
    await this.repo.saveVirtualModel(virtualModel);
    await this.changed(project.projectId);
    return this.view(virtualModel);
  }

  /** Targets and config are checked again only when sent, so an edit is not blocked by a target that broke meanwhile. */
  async updateVirtualModel(projectId: string, id: string, patch: VirtualModelPatch): Promise<VirtualModelView> {
    const virtualModel = await this.findVirtualModel(projectId, id);
    const current = virtualModel.fields();
    const configId = patch.config === undefined ? { id: current.configId, problems: [] } : await this.configIdFor(projectId, patch.config);
    const fields: VirtualModelFields = {
      name: patch.name ?? current.name,
      description: patch.description === undefined ? current.description : patch.description,
      targets: patch.targets ?? current.targets,
      configId: configId.id,
    };
    const project = { organizationId: virtualModel.organizationId, projectId };
    await this.check(virtualModelProblems(fields), configId.problems, () => (patch.targets ? this.referenceProblems(project, fields.targets) : Promise.resolve([])));
    virtualModel.apply(fields);
    await this.repo.saveVirtualModel(virtualModel);
    await this.changed(projectId);
    return this.view(virtualModel);
  }

  async deleteVirtualModel(projectId: string, id: string): Promise<void> {
    const virtualModel = await this.findVirtualModel(projectId, id);
    await this.repo.deleteVirtualModel(virtualModel.id);
    await this.changed(projectId);
  }

  listGatewayConfigs(projectId: string): Promise<GatewayConfig[]> {
    return this.repo.listGatewayConfigs(projectId);
  }

  async getGatewayConfig(projectId: string, id: string): Promise<GatewayConfig> {
    const config = await this.repo.findGatewayConfig(id);
    if (!config || config.projectId !== projectId) throw new GatewayConfigNotFound();
    return config;
  }

  async createGatewayConfig(project: ProjectRef, input: GatewayConfigInput): Promise<GatewayConfig> {
    const fields: GatewayConfigFields = { name: input.name, strategy: input.strategy, targets: input.targets ?? null, retry: input.retry, timeoutMs: input.timeoutMs };
    await this.check(gatewayConfigProblems(fields), [], () => (fields.targets ? this.referenceProblems(project, fields.targets) : Promise.resolve([])));
    const config = GatewayConfig.create(project, fields);
    await this.repo.saveGatewayConfig(config);
    await this.changed(project.projectId);
    return config;
  }

  async updateGatewayConfig(projectId: string, id: string, patch: GatewayConfigPatch): Promise<GatewayConfig> {
    const config = await this.getGatewayConfig(projectId, id);
    const current = config.fields();
    const fields: GatewayConfigFields = {
      name: patch.name ?? current.name,
      strategy: patch.strategy ?? current.strategy,
      targets: patch.targets === undefined ? current.targets : patch.targets,
      retry: patch.retry ?? current.retry,
      timeoutMs: patch.timeoutMs ?? current.timeoutMs,
    };
    const project = { organizationId: config.organizationId, projectId };
    await this.check(gatewayConfigProblems(fields), [], () => (patch.targets ? this.referenceProblems(project, patch.targets) : Promise.resolve([])));
    config.apply(fields);
    await this.repo.saveGatewayConfig(config);
    await this.changed(projectId);
    return config;
  }

  /** Refused while a virtual model names the config. */
  async deleteGatewayConfig(projectId: string, id: string): Promise<void> {
    const config = await this.getGatewayConfig(projectId, id);
    const users = (await this.repo.listVirtualModels(projectId)).filter((v) => v.configId === config.id);
    if (users.length > 0) throw new GatewayConfigInUse(config.name, users.map((v) => v.name));
    await this.repo.deleteGatewayConfig(config.id);
    await this.changed(projectId);
  }

  private async load(projectId: string): Promise<ProjectPolicies> {
    const [virtualModels, configs] = await Promise.all([this.repo.listVirtualModels(projectId), this.repo.listGatewayConfigs(projectId)]);
    return new ProjectPolicies(virtualModels, configs);
  }

  private async findVirtualModel(projectId: string, id: string): Promise<VirtualModel> {
    const virtualModel = await this.repo.findVirtualModel(id);
    if (!virtualModel || virtualModel.projectId !== projectId) throw new VirtualModelNotFound();
    return virtualModel;
  }

  private async view(virtualModel: VirtualModel): Promise<VirtualModelView> {
    if (!virtualModel.configId) return { virtualModel, config: null };
    const config = await this.repo.findGatewayConfig(virtualModel.configId);
    return { virtualModel, config: config?.name ?? null };
  }

  private async configIdFor(projectId: string, name: string | null): Promise<{ id: string | null; problems: FieldError[] }> {
    if (name === null) return { id: null, problems: [] };
    const config = (await this.repo.listGatewayConfigs(projectId)).find((c) => c.name === name);
    return config ? { id: config.id, problems: [] } : { id: null, problems: [{ field: 'config', message: 'is not a gateway config of this project' }] };
  }

  private async referenceProblems(project: ProjectRef, targets: readonly RouteTarget[]): Promise<FieldError[]> {
    const options = await this.targets.optionsFor(project.organizationId, project.projectId);
    return targetReferenceProblems(targets, options, this.catalog, 'targets');
  }

  /** Shape problems first; the targets are looked up only when the list itself is well formed. */
  private async check(shape: FieldError[], other: FieldError[], references: () => Promise<FieldError[]>): Promise<void> {
    const targetsMalformed = shape.some((p) => p.field === 'targets' || p.field.startsWith('targets['));
    const problems = [...shape, ...other, ...(targetsMalformed ? [] : await references())];
    if (problems.length > 0) throw new InvalidRoutingPolicy(problems);
  }

  private changed(projectId: string): Promise<void> {
    return this.feed.publish(CHANNEL, { projectId });
  }
}
