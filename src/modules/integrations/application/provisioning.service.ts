import { Injectable } from '@nestjs/common';
import { KeywayConfig } from '../../../platform/config/keyway-config';
import type { FieldError } from '../../../platform/errors/domain-error';
import { checkOutboundUrl } from '../../../platform/net/outbound-url';
import { Catalog, ModelEntry } from '../../catalog/domain/catalog';
import { ProvisioningChange, applyProvisioningChange, enabledCatalogModels, isCatalogModelEnabled } from '../../catalog/domain/provisioning';
import { CUSTOM_MODEL_SLUG, CustomModel, CustomModelFields, apiFamiliesSpoken, baseModelProblem, customModelFieldProblems } from '../domain/custom-model';
import { CustomModelNotFound, CustomModelSlugTaken, InvalidCustomModel } from '../domain/custom-model.errors';
import { AuditEvent, Integration } from '../domain/integration';
import { IntegrationNotFound } from '../domain/integration.errors';
import type { RequestContext } from './integration.service';
import { CustomModelRepository } from './ports/custom-model-repository.port';
import { IntegrationChanges } from './ports/integration-changes.port';
import { AuditLog, IntegrationRepository } from './ports/integration-repository.port';

export type ProvisionedModel = { model: ModelEntry; enabled: boolean };

/** Every catalog model of the integration's provider, each with whether it is enabled, and its custom models. */
export type ProvisioningView = { autoEnable: boolean; models: ProvisionedModel[]; customModels: CustomModel[] };

/** One of all / none / per-model toggles, and optionally `autoEnable` (applied after the change). */
export type ChangeProvisioning = { change: ProvisioningChange; autoEnable?: boolean };

export type CreateCustomModel = Omit<CustomModelFields, 'baseModel' | 'customHost' | 'additionalPricing'> &
  Partial<Pick<CustomModelFields, 'baseModel' | 'customHost' | 'additionalPricing'>>;
export type UpdateCustomModel = Partial<CustomModelFields>;

/** What the proxy may route through one integration: its enabled catalog models and its custom models. */
export type RoutableModels = { catalog: ModelEntry[]; custom: CustomModel[] };

/**
 * Use cases of model provisioning: which catalog models an integration serves, and its custom models.
 * The policy guard has checked the actor's role before any of these run.
 */
@Injectable()
export class ProvisioningService {
  constructor(
    private readonly integrations: IntegrationRepository,
    private readonly customModels: CustomModelRepository,
    private readonly audit: AuditLog,
    private readonly changes: IntegrationChanges,
    private readonly catalog: Catalog,
    private readonly config: KeywayConfig,
  ) {}

  async view(integrationId: string): Promise<ProvisioningView> {
    const integration = await this.integration(integrationId);
    return this.viewOf(integration, await this.customModels.listByIntegration(integrationId));
  }

  async change(integrationId: string, input: ChangeProvisioning, ctx: RequestContext): Promise<ProvisioningView> {
    const integration = await this.integration(integrationId);
    const providerSlugs = this.catalog.modelsOf(integration.provider).map((model) => model.slug);
    const changed = applyProvisioningChange(integration.provisioning, input.change, providerSlugs);
    integration.provisioning = input.autoEnable === undefined ? changed : { ...changed, autoEnable: input.autoEnable };
    await this.integrations.updateProvisioning(integration.id, integration.provisioning);
    await this.modelsChanged(ctx, integration, { ...describeChange(input.change), autoEnable: integration.provisioning.autoEnable });
    return this.viewOf(integration, await this.customModels.listByIntegration(integrationId));
  }

  async listCustomModels(integrationId: string): Promise<CustomModel[]> {
    await this.integration(integrationId);
    return this.customModels.listByIntegration(integrationId);
  }

  async getCustomModel(integrationId: string, modelSlug: string): Promise<CustomModel> {
    await this.integration(integrationId);
    return this.customModel(integrationId, modelSlug);
  }

  async createCustomModel(integrationId: string, input: CreateCustomModel, ctx: RequestContext): Promise<CustomModel> {
    const integration = await this.integration(integrationId);
    const fields: CustomModelFields = { baseModel: null, customHost: null, additionalPricing: null, ...input };
    await this.check(integration, fields, fields);
    if (await this.customModels.find(integrationId, fields.modelSlug)) throw new CustomModelSlugTaken(fields.modelSlug);
    const model = CustomModel.create({ integrationId, organizationId: integration.organizationId }, fields);
    await this.customModels.save(model);
    await this.modelsChanged(ctx, integration, { customModel: 'created', modelSlug: model.modelSlug });
    return model;
  }

  async updateCustomModel(integrationId: string, modelSlug: string, input: UpdateCustomModel, ctx: RequestContext): Promise<CustomModel> {
    const integration = await this.integration(integrationId);
    const model = await this.customModel(integrationId, modelSlug);
    const fields: CustomModelFields = { ...model.fields(), ...definedOnly(input) };
    await this.check(integration, fields, input);
    if (fields.modelSlug !== modelSlug && (await this.customModels.find(integrationId, fields.modelSlug))) throw new CustomModelSlugTaken(fields.modelSlug);
    model.apply(fields);
    await this.customModels.save(model);
    await this.modelsChanged(ctx, integration, { customModel: 'updated', modelSlug, fields: Object.keys(definedOnly(input)).sort() });
    return model;
  }

  async deleteCustomModel(integrationId: string, modelSlug: string, ctx: RequestContext): Promise<void> {
    const integration = await this.integration(integrationId);
    const model = await this.customModel(integrationId, modelSlug);
    if (!(await this.customModels.delete(model.id))) throw new CustomModelNotFound(modelSlug);
    await this.modelsChanged(ctx, integration, { customModel: 'deleted', modelSlug });
  }

  /** For the proxy: the enabled catalog models of the integration's provider, and its custom models. */
  async routableModels(integration: Integration): Promise<RoutableModels> {
    return {
      catalog: enabledCatalogModels(integration.provisioning, this.catalog.modelsOf(integration.provider)),
      custom: await this.customModels.listByIntegration(integration.id),
    };
  }

  private async integration(id: string): Promise<Integration> {
    const integration = await this.integrations.findById(id);
    if (!integration) throw new IntegrationNotFound();
    return integration;
  }

  private async customModel(integrationId: string, modelSlug: string): Promise<CustomModel> {
    const model = CUSTOM_MODEL_SLUG.test(modelSlug) ? await this.customModels.find(integrationId, modelSlug) : null;
    if (!model) throw new CustomModelNotFound(modelSlug);
    return model;
  }

  private viewOf(integration: Integration, customModels: CustomModel[]): ProvisioningView {
    const models = this.catalog.modelsOf(integration.provider).map((model) => ({ model, enabled: isCatalogModelEnabled(integration.provisioning, model.slug) }));
    return { autoEnable: integration.provisioning.autoEnable, models, customModels };
  }

  /** Every rule on `fields`; the base model and the host are checked only when `changed` sets them. */
  private async check(integration: Integration, fields: CustomModelFields, changed: Partial<CustomModelFields>): Promise<void> {
    const errors: FieldError[] = customModelFieldProblems(fields);
    if (changed.baseModel) {
      const provider = this.catalog.requireProvider(integration.provider);
      const problem = baseModelProblem(changed.baseModel, apiFamiliesSpoken(provider, integration.options), this.catalog);
      if (problem) errors.push(problem);
    }
    if (changed.customHost) {
      const verdict = await checkOutboundUrl(changed.customHost, { allowPrivate: this.config.allowPrivateHosts });
      if (!verdict.ok) errors.push({ field: 'customHost', message: verdict.reason });
    }
    if (errors.length > 0) throw new InvalidCustomModel(errors);
  }

  private async modelsChanged(ctx: RequestContext, integration: Integration, details: Record<string, unknown>): Promise<void> {
    await this.audit.record(
      new AuditEvent(integration.organizationId, ctx.actor.userId, 'integration.models_changed', integration.id, integration.providerSlug, details, ctx.ip),
    );
    await this.changes.publish({ integrationId: integration.id, organizationId: integration.organizationId, kind: 'models' });
  }
}

function describeChange(change: ProvisioningChange): Record<string, unknown> {
  if ('all' in change) return { change: 'all' };
  if ('none' in change) return { change: 'none' };
  const toggles = Object.entries(change.models);
  return {
    change: 'models',
    enabled: toggles.filter(([, on]) => on).map(([slug]) => slug).sort(),
    disabled: toggles.filter(([, on]) => !on).map(([slug]) => slug).sort(),
  };
}

function definedOnly<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
