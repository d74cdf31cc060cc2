import { Injectable } from '@nestjs/common';
import { KeywayConfig } from '../../../platform/config/keyway-config';
import type { Actor } from '../../../platform/auth/actor';
import type { FieldError } from '../../../platform/errors/domain-error';
import { checkOutboundUrl } from '../../../platform/net/outbound-url';
import { Catalog, ProviderEntry, ProviderId } from '../../catalog/domain/catalog';
import { Credential, credentialUrls, parseCredential, summarize } from '../domain/credential';
import { AdvancedOptions, API_FORMATS, ApiFormat, AuditAction, AuditEvent, Integration, IntegrationStatus, newIntegrationId, PROVIDER_SLUG, ProjectScope } from '../domain/integration';
import { IntegrationNotFound, InvalidIntegration, ProviderImmutable, ProviderSlugTaken } from '../domain/integration.errors';
import { CredentialVault } from './credential-vault';
import { IntegrationChanges } from './ports/integration-changes.port';
import { AuditLog, IntegrationRepository, ProjectDirectory } from './ports/integration-repository.port';
import { ProbeResult, ProviderProbe } from './ports/provider-probe.port';

export type IntegrationSettings = {
  name?: string;
  providerSlug?: string;
  description?: string | null;
  projectScope?: ProjectScope;
  status?: IntegrationStatus;
  customHost?: string | null;
  apiFormat?: ApiFormat | null;
  customAuthHeaders?: Record<string, string> | null;
  weight?: number;
  rpmLimit?: number | null;
  alwaysUse?: boolean;
  dailyBudgetUsd?: number | null;
  monthlyBudgetUsd?: number | null;
  region?: string | null;
  autoEnable?: boolean;
};

export type CreateIntegration = IntegrationSettings & { name: string; providerSlug: string; provider: string; credential: unknown };
export type UpdateIntegration = IntegrationSettings & { provider?: string };
export type RequestContext = { actor: Actor; ip: string | null };

const FORBIDDEN_HEADERS = new Set(['host', 'content-length', 'content-type', 'connection', 'transfer-encoding', 'keep-alive', 'upgrade', 'te', 'trailer', 'proxy-authorization', 'cookie']);
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/;

/** Use cases of BYOK integrations. The policy guard has checked the actor's role before any of these run. */
@Injectable()
export class IntegrationService {
  constructor(
    private readonly repo: IntegrationRepository,
    private readonly audit: AuditLog,
    private readonly projects: ProjectDirectory,
    private readonly vault: CredentialVault,
    private readonly changes: IntegrationChanges,
    private readonly probe: ProviderProbe,
    private readonly catalog: Catalog,
    private readonly config: KeywayConfig,
  ) {}

  async list(organizationId: string, actor: Actor): Promise<Integration[]> {
    const all = await this.repo.listByOrganization(organizationId);
    if (actor.orgRoles.get(organizationId) === 'owner') return all;
    const mine = [...actor.projectRoles].filter(([, r]) => r.organizationId === organizationId).map(([id]) => id);
    return all.filter((i) => mine.some((p) => i.isInScopeOf(p)));
  }

  async get(id: string): Promise<Integration> {
    const integration = await this.repo.findById(id);
    if (!integration) throw new IntegrationNotFound();
    return integration;
  }

  async create(organizationId: string, input: CreateIntegration, ctx: RequestContext): Promise<Integration> {
    const errors: FieldError[] = [];
    const provider = this.provider(input.provider, errors);
    const parsed = provider ? parseCredential(provider.credentialShape, input.credential) : undefined;
    if (parsed && !parsed.ok) errors.push(...parsed.errors);
    const options = await this.options(defaultOptions(), input, provider, errors);
    const projectScope = await this.scope(organizationId, input.projectScope ?? 'all', errors);
    this.checkSlug(input.providerSlug, errors);
    if (parsed?.ok && provider) await this.checkCredentialUrls(provider, parsed.value, errors);
    if (errors.length > 0 || !provider || !parsed?.ok) throw new InvalidIntegration(errors);
    if (await this.repo.findBySlug(organizationId, input.providerSlug)) throw new ProviderSlugTaken(input.providerSlug);

    const id = newIntegrationId();
    const integration = new Integration(
      id,
      organizationId,
      input.name.trim(),
      input.providerSlug,
      provider.id,
      input.description ?? null,
      projectScope,
      await this.vault.sealCredential(organizationId, id, parsed.value),
      summarize(provider.credentialShape, parsed.value),
      options,
      ctx.actor.userId,
    );
    if (input.status) integration.status = input.status;
    if (input.autoEnable !== undefined) integration.provisioning = { autoEnable: input.autoEnable, overrides: {} };
    await this.applyHeaders(integration, input.customAuthHeaders);
    await this.saveUnique(integration);
    await this.record(ctx, 'integration.created', integration, { provider: provider.id, providerSlug: integration.providerSlug, fingerprint: integration.credentialSummary.fingerprint });
    await this.changes.publish({ integrationId: integration.id, organizationId, kind: 'created' });
    return integration;
  }

  async update(id: string, input: UpdateIntegration, ctx: RequestContext): Promise<Integration> {
    const integration = await this.get(id);
    if (input.provider !== undefined && input.provider !== integration.provider) throw new ProviderImmutable();
    const errors: FieldError[] = [];
    const provider = this.catalog.provider(integration.provider);
    const options = await this.options(integration.options, input, provider, errors);
    const projectScope = input.projectScope !== undefined ? await this.scope(integration.organizationId, input.projectScope, errors) : integration.projectScope;
    if (input.providerSlug !== undefined) this.checkSlug(input.providerSlug, errors);
    if (errors.length > 0) throw new InvalidIntegration(errors);
    if (input.providerSlug !== undefined && input.providerSlug !== integration.providerSlug) {
      const other = await this.repo.findBySlug(integration.organizationId, input.providerSlug);
      if (other) throw new ProviderSlugTaken(input.providerSlug);
      integration.providerSlug = input.providerSlug;
    }
    if (input.name !== undefined) integration.name = input.name.trim();
    if (input.description !== undefined) integration.description = input.description;
    if (input.status !== undefined) integration.status = input.status;
    if (input.autoEnable !== undefined) integration.provisioning = { ...integration.provisioning, autoEnable: input.autoEnable };
    integration.projectScope = projectScope;
    integration.options = options;
    if (input.customAuthHeaders !== undefined) {
      await this.applyHeaders(integration, input.customAuthHeaders);
      integration.credentialVersion += 1;
    }
    integration.resetHealth();
    integration.touch();
    await this.saveUnique(integration);
    await this.record(ctx, 'integration.updated', integration, { fields: Object.keys(input).sort() });
    await this.changes.publish({ integrationId: id, organizationId: integration.organizationId, kind: 'updated' });
    return integration;
  }

  async rotateCredential(id: string, credential: unknown, ctx: RequestContext): Promise<Integration> {
    const integration = await this.get(id);
    const provider = this.catalog.requireProvider(integration.provider);
    const parsed = parseCredential(provider.credentialShape, credential);
    if (!parsed.ok) throw new InvalidIntegration(parsed.errors);
    const errors: FieldError[] = [];
    await this.checkCredentialUrls(provider, parsed.value, errors);
    if (errors.length > 0) throw new InvalidIntegration(errors);
    const previous = integration.credentialSummary.fingerprint;
    integration.replaceCredential(await this.vault.sealCredential(integration.organizationId, id, parsed.value), summarize(provider.credentialShape, parsed.value));
    integration.touch();
    await this.repo.save(integration);
    this.vault.forget(id);
    await this.record(ctx, 'integration.credential_rotated', integration, { previousFingerprint: previous, fingerprint: integration.credentialSummary.fingerprint });
    await this.changes.publish({ integrationId: id, organizationId: integration.organizationId, kind: 'credential' });
    return integration;
  }

  async delete(id: string, ctx: RequestContext): Promise<void> {
    const integration = await this.get(id);
    await this.repo.delete(id);
    this.vault.forget(id);
    await this.record(ctx, 'integration.deleted', integration, { provider: integration.provider });
    await this.changes.publish({ integrationId: id, organizationId: integration.organizationId, kind: 'deleted' });
  }

  async test(id: string, ctx: RequestContext): Promise<ProbeResult> {
    const integration = await this.get(id);
    const provider = this.catalog.requireProvider(integration.provider);
    const { credential, headers } = await this.vault.open(integration);
    const result = await this.probe.probe(provider, credential, integration.options, headers.reveal());
    if (result.ok) {
      integration.resetHealth();
      integration.health.lastSuccessAt = new Date().toISOString();
    } else if (result.authFailed) {
      integration.health = { ...integration.health, status: 'failing', lastError: result.message, lastErrorAt: new Date().toISOString() };
    }
    await this.repo.save(integration);
    await this.record(ctx, 'integration.tested', integration, { ok: result.ok, status: result.status });
    // A passing test clears a cooldown everywhere; a failing one only records what it saw.
    await this.changes.publish({ integrationId: id, organizationId: integration.organizationId, kind: result.ok ? 'updated' : 'health' });
    return result;
  }

  auditTrail(organizationId: string, options: { before?: Date; limit: number; integrationId?: string }): Promise<AuditEvent[]> {
    return this.audit.list(organizationId, options);
  }

  private provider(id: string, errors: FieldError[]): ProviderEntry | undefined {
    const provider = this.catalog.provider(id as ProviderId);
    if (!provider) errors.push({ field: 'provider', message: `is not a supported provider (one of ${this.catalog.providers().map((p) => p.id).join(', ')})` });
    return provider;
  }

  private checkSlug(slug: string, errors: FieldError[]): void {
    if (!PROVIDER_SLUG.test(slug)) errors.push({ field: 'providerSlug', message: 'must be 2–63 lowercase letters, digits or dashes, starting with a letter or digit' });
  }

  private async scope(organizationId: string, scope: ProjectScope, errors: FieldError[]): Promise<ProjectScope> {
    if (scope === 'all') return 'all';
    const known = new Set(await this.projects.projectIdsOf(organizationId));
    scope.forEach((projectId, i) => {
      if (!known.has(projectId)) errors.push({ field: `projectScope[${i}]`, message: 'is not a project of this organization' });
    });
    return [...new Set(scope)];
  }

  private async options(current: AdvancedOptions, input: IntegrationSettings, provider: ProviderEntry | undefined, errors: FieldError[]): Promise<AdvancedOptions> {
    const next: AdvancedOptions = { ...current };
    for (const key of ['weight', 'rpmLimit', 'alwaysUse', 'dailyBudgetUsd', 'monthlyBudgetUsd', 'region', 'customHost', 'apiFormat'] as const) {
      if (input[key] !== undefined) (next as Record<string, unknown>)[key] = input[key];
    }
    if (next.customHost) {
      const verdict = await checkOutboundUrl(next.customHost, { allowPrivate: this.config.allowPrivateHosts });
      if (!verdict.ok) errors.push({ field: 'customHost', message: verdict.reason });
      if (!next.apiFormat) {
        const family = provider?.apiFamily;
        // A null format means the provider's own: an Azure resource or a Gemini endpoint behind a proxy host.
        if (family && (API_FORMATS as readonly string[]).includes(family)) next.apiFormat = family as ApiFormat;
        else if (family !== 'azure-openai' && family !== 'gemini') {
          errors.push({ field: 'apiFormat', message: `is required with a customHost for this provider (one of ${API_FORMATS.join(', ')})` });
        }
      }
    } else if (input.customHost === null) {
      next.apiFormat = null;
    }
    return next;
  }

  private async checkCredentialUrls(provider: ProviderEntry, credential: Credential, errors: FieldError[]): Promise<void> {
    for (const { field, url } of credentialUrls(provider.credentialShape, credential)) {
      const verdict = await checkOutboundUrl(url, { allowPrivate: this.config.allowPrivateHosts });
      if (!verdict.ok) errors.push({ field, message: verdict.reason });
    }
  }

  private async applyHeaders(integration: Integration, headers: Record<string, string> | null | undefined): Promise<void> {
    if (headers === undefined) return;
    if (headers === null || Object.keys(headers).length === 0) {
      integration.customAuthHeaders = null;
      integration.customAuthHeaderNames = [];
      return;
    }
    const errors: FieldError[] = [];
    for (const [name, value] of Object.entries(headers)) {
      if (!HEADER_NAME.test(name) || FORBIDDEN_HEADERS.has(name.toLowerCase())) errors.push({ field: `customAuthHeaders.${name}`, message: 'is not a header name that can be set' });
      if (typeof value !== 'string' || value.length === 0 || value.length > 4096 || /[\r\n]/.test(value)) {
        errors.push({ field: `customAuthHeaders.${name}`, message: 'must be a non-empty single-line string' });
      }
    }
    if (Object.keys(headers).length > 20) errors.push({ field: 'customAuthHeaders', message: 'must have at most 20 headers' });
    if (errors.length > 0) throw new InvalidIntegration(errors);
    integration.customAuthHeaders = await this.vault.sealHeaders(integration.organizationId, integration.id, headers);
    integration.customAuthHeaderNames = Object.keys(headers).sort();
  }

  private async saveUnique(integration: Integration): Promise<void> {
    try {
      await this.repo.save(integration);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new ProviderSlugTaken(integration.providerSlug);
      throw error;
    }
  }

  private record(ctx: RequestContext, action: AuditAction, integration: Integration, details: Record<string, unknown>): Promise<void> {
    return this.audit.record(new AuditEvent(integration.organizationId, ctx.actor.userId, action, integration.id, integration.providerSlug, details, ctx.ip));
  }
}

function defaultOptions(): AdvancedOptions {
  return { customHost: null, apiFormat: null, weight: 1, rpmLimit: null, alwaysUse: false, dailyBudgetUsd: null, monthlyBudgetUsd: null, region: null };
}

