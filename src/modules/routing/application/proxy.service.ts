import { Injectable, Logger } from '@nestjs/common';
import { KeywayConfig } from '../../../platform/config/keyway-config';
import { Catalog, ModelEntry, ProviderEntry, ProviderId } from '../../catalog/domain/catalog';
import { resolveRoutableModel } from '../../catalog/domain/provisioning';
import { computeCostUsd, TokenPricing, worstCaseCostUsd } from '../../catalog/domain/cost';
import { CredentialVault } from '../../integrations/application/credential-vault';
import { IntegrationChanges } from '../../integrations/application/ports/integration-changes.port';
import { IntegrationRepository } from '../../integrations/application/ports/integration-repository.port';
import type { Credential } from '../../integrations/domain/credential';
import { secretValues } from '../../integrations/domain/credential';
import type { CustomModel } from '../../integrations/domain/custom-model';
import type { Integration } from '../../integrations/domain/integration';
import type { CallerFormat, CanonicalUsage } from '../../../providers/canonical/chat';
import { ProviderError } from '../../../providers/canonical/provider-error';
import { ChatCall, ChatResult, ChatStream, EgressFamily, ProviderClient, UpstreamTarget } from '../../../providers/provider-client.port';
import { inputTokensUpperBound, outputTokensUpperBound } from '../domain/budget';
import { splitModelName, weightedOrder } from '../domain/candidates';
import { AttemptRules, DEFAULT_ATTEMPT_RULES, attemptRulesOf, attemptSequence } from '../domain/gateway-config';
import { AmbiguousModel, NoRouteAvailable } from '../domain/proxy.errors';
import { RouteTarget, RoutingStrategy, orderByStrategy, platformModel, platformProviderOf } from '../domain/route-target';
import { UnknownGatewayConfig } from '../domain/routing-policy.errors';
import type { AuthenticatedKey } from './api-key.service';
import { BudgetCheck, BudgetKeeper } from './budgets/budget-keeper';
import { HealthTracker, HealthTransition } from './limits/health-tracker.port';
import { RateLimiter } from './limits/rate-limiter.port';
import { AttemptRecord } from './ports/activity-sink.port';
import { PlatformCredentials } from './platform-credentials';
import { RoutingDirectory, RoutableIntegration } from './routing-directory';
import { RoutingPolicyService } from './routing-policy.service';

export type ProxyRequest = {
  caller: CallerFormat;
  endpoint: string;
  body: Record<string, unknown>;
  key: AuthenticatedKey;
  pinnedSlug?: string;
  /** `x-keyway-config`: the name of a gateway config of the key's project to apply. */
  configName?: string;
  passHeaders: Record<string, string>;
  signal: AbortSignal;
  /** Filled in while routing; read when the request ends, whether it succeeded or not. */
  progress: RouteProgress;
};

export type RouteProgress = {
  /** Time spent in provider calls (ms, fractional): until the whole body for a response, until the stream opened for a stream. */
  upstreamMs: number;
  /** The last credential a call was sent to: it served the request, or it is the one whose failure is reported. */
  lastTried: Served | null;
};

/** The credential that served (or failed) an attempt. */
export type Served = {
  providerSlug: string;
  provider: ProviderId;
  integrationId: string | null;
  credentialSource: 'byok' | 'platform';
  model: ModelEntry | undefined;
  customModel: CustomModel | undefined;
  /** The virtual model the request named (DESIGN §7 `virtualModel`), or null. */
  virtualModel: string | null;
};

/** `budget`: what the request holds on its integration's budget, to settle when it ends. */
export type ProxyOutcome<T> = { result: T; served: Served; attempts: AttemptRecord[]; budget: BudgetCheck | null };

/** A candidate for one request: an integration (or the platform credential) and what it would call. */
type Candidate = {
  served: Served;
  integration?: Integration;
  providerEntry: ProviderEntry;
  upstreamModel: string;
};

/** The candidates in the order to try them, and how failures and timeouts are handled. */
type Plan = { candidates: Candidate[]; rules: AttemptRules };

/** What one target of a virtual model or gateway config reaches for this request. */
type TargetResolution = { kind: 'candidate'; candidate: Candidate } | { kind: 'skipped'; served: Served; reason: string } | { kind: 'missing'; reason: string };

const SUPPORTED_FAMILIES: readonly string[] = ['openai', 'anthropic'];

/**
 * DESIGN §5: resolve the model (a virtual model's or a gateway config's targets first), gather
 * candidates (scope, enabled model, health, RPM), order them (by weight, or by the config's
 * strategy), call them in turn while failures are retryable (by default, or by the config's retry
 * rules), then fall back to the platform credential when allowed. Nothing is retried once a stream
 * has started.
 */
@Injectable()
export class ProxyService {
  private readonly logger = new Logger('Proxy');

  constructor(
    private readonly directory: RoutingDirectory,
    private readonly catalog: Catalog,
    private readonly platform: PlatformCredentials,
    private readonly vault: CredentialVault,
    private readonly client: ProviderClient,
    private readonly health: HealthTracker,
    private readonly limiter: RateLimiter,
    private readonly integrations: IntegrationRepository,
    private readonly policies: RoutingPolicyService,
    private readonly budgets: BudgetKeeper,
    private readonly config: KeywayConfig,
    changes: IntegrationChanges,
  ) {
    changes.subscribe((change) => {
      if (change.kind === 'credential' || change.kind === 'updated' || change.kind === 'deleted') void this.health.reset(change.integrationId).catch(() => undefined);
      if (change.kind === 'updated' || change.kind === 'deleted') this.budgets.forget(change.integrationId);
    });
  }

  chat(req: ProxyRequest, attempts: AttemptRecord[]): Promise<ProxyOutcome<ChatResult>> {
    return this.route(req, attempts, (call, target) => this.client.chat(call, target));
  }

  streamChat(req: ProxyRequest, attempts: AttemptRecord[]): Promise<ProxyOutcome<ChatStream>> {
    return this.route(req, attempts, (call, target) => this.client.streamChat(call, target));
  }

  /** A whole response was delivered: its real cost replaces what it held on the budget. */
  settle(outcome: ProxyOutcome<unknown>, costUsd: number | null): void {
    this.budgets.settle(outcome.budget, costUsd);
  }

  /** Records the end of a stream that started: success, or a failure after the first byte (not retried); settles its cost. */
  streamEnded(outcome: ProxyOutcome<unknown>, failure: ProviderError | undefined, costUsd: number | null): void {
    const { served } = outcome;
    this.budgets.settle(outcome.budget, costUsd);
    if (!served.integrationId) return;
    if (failure && failure.status !== 499) this.recordFailure(served.integrationId, failure);
    else if (!failure) this.recordSuccess(served.integrationId);
  }

  costOf(served: Served, usage: CanonicalUsage): number | null {
    const tokens = { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, cachedInputTokens: usage.cachedInputTokens, cacheWriteTokens: usage.cacheWriteTokens };
    const pricing = pricingOf(served);
    return pricing ? computeCostUsd(tokens, pricing) : null;
  }

  /** The most this request can cost on `candidate` (0 when its model has no price). */
  private worstCaseUsd(candidate: Candidate, body: Record<string, unknown>): number {
    const pricing = pricingOf(candidate.served);
    if (!pricing) return 0;
    return worstCaseCostUsd(inputTokensUpperBound(body), outputTokensUpperBound(body, candidate.served.model?.maxOutputTokens), pricing);
  }

  private async route<T>(req: ProxyRequest, attempts: AttemptRecord[], send: (call: ChatCall, target: UpstreamTarget) => Promise<T>): Promise<ProxyOutcome<T>> {
    const requested = String(req.body.model);
    const { candidates, rules } = await this.plan(req, requested, attempts);
    const call: ChatCall = {
      caller: req.caller,
      body: req.body,
      stream: req.body.stream === true,
      requestedModel: requested,
      passHeaders: req.passHeaders,
      signal: req.signal,
      timeoutMs: rules.timeoutMs,
    };
    const maxCalls = rules.maxAttempts ?? Infinity;
    let calls = 0;
    let lastError: ProviderError | undefined;
    let retryAfterMs: number | undefined;
    for (const [index, candidate] of attemptSequence(candidates, rules.maxAttempts).entries()) {
      if (calls >= maxCalls) break;
      const { served, integration } = candidate;
      // A candidate tried again (a config with more attempts than candidates) may have gone into cooldown meanwhile.
      if (index >= candidates.length && integration && !this.health.isAvailable(integration.id)) {
        attempts.push(attempt(served, 'skipped', 'cooling down'));
        continue;
      }
      const budget = integration && BudgetKeeper.applies(integration) ? await this.budgets.reserve(integration, () => this.worstCaseUsd(candidate, req.body)) : null;
      if (budget?.kind === 'refused' || budget?.kind === 'unchecked') {
        if (budget.kind === 'refused') retryAfterMs = Math.min(retryAfterMs ?? Infinity, budget.retryAfterMs);
        attempts.push(attempt(served, 'skipped', budget.reason));
        continue;
      }
      if (integration?.options.rpmLimit) {
        const permit = await this.limiter.tryAcquire(integration.id, integration.options.rpmLimit);
        if (!permit.allowed) {
          this.budgets.settle(budget, null);
          retryAfterMs = Math.min(retryAfterMs ?? Infinity, permit.retryAfterMs);
          attempts.push(attempt(served, 'skipped', 'rate_limited'));
          continue;
        }
      }
      calls += 1;
      req.progress.lastTried = served;
      const started = performance.now();
      try {
        const target = await this.target(candidate);
        const result = await send(call, target).finally(() => {
          req.progress.upstreamMs += performance.now() - started;
        });
        attempts.push({ ...attempt(served, 'ok'), status: 200, latencyMs: Math.round(performance.now() - started) });
        if (integration && !call.stream) this.recordSuccess(integration.id);
        return { result, served, attempts, budget };
      } catch (error) {
        this.budgets.settle(budget, null);
        const failure = asProviderError(error);
        if (!failure) throw error;
        attempts.push({ ...attempt(served, 'failed', failure.message), status: failure.status, latencyMs: Math.round(performance.now() - started) });
        if (failure.status === 499) throw failure;
        if (integration && (failure.retryable || failure.kind === 'auth')) this.recordFailure(integration.id, failure);
        lastError = failure;
        if (failure.retryAfterMs !== undefined) retryAfterMs = Math.min(retryAfterMs ?? Infinity, failure.retryAfterMs);
        if (!rules.movesOn(failure)) throw failure;
      }
    }
    if (lastError) throw lastError;
    const wait = retryAfterMs !== undefined && Number.isFinite(retryAfterMs) ? Math.ceil(retryAfterMs / 1000) : undefined;
    // Every candidate was skipped: over its RPM limit or budget (429, retry later), or unavailable (503).
    throw new NoRouteAvailable(requested, attempts.map((a) => `${a.providerSlug}: ${a.reason ?? a.outcome}`), wait !== undefined ? 'rate_limited' : 'unavailable', wait);
  }

  /**
   * DESIGN §5 step 2. A virtual model of the key's project (by name) routes to its targets; a gateway
   * config named by `x-keyway-config` (else the virtual model's own config) sets the order, the
   * retry rules and the timeout, and its targets replace candidate discovery for any other model.
   * Everything comes from memory once the project's policies are warm.
   */
  private async plan(req: ProxyRequest, requested: string, attempts: AttemptRecord[]): Promise<Plan> {
    const policies = await this.policies.forProject(req.key.projectId);
    const headerConfig = req.configName === undefined ? undefined : policies.config(req.configName);
    if (req.configName !== undefined && !headerConfig) throw new UnknownGatewayConfig(req.configName);
    const virtualModel = policies.virtualModel(requested);
    const config = headerConfig ?? (virtualModel ? policies.configOf(virtualModel) : undefined);
    const rules = config ? attemptRulesOf(config) : { ...DEFAULT_ATTEMPT_RULES, timeoutMs: this.config.upstreamTimeoutMs };
    if (virtualModel) {
      return { rules, candidates: await this.targetCandidates(req, requested, virtualModel.targets, config?.strategy ?? 'loadbalance', attempts, virtualModel.name) };
    }
    if (headerConfig?.targets) return { rules, candidates: await this.targetCandidates(req, requested, headerConfig.targets, headerConfig.strategy, attempts, null) };
    return { rules, candidates: await this.candidates(req, requested, attempts) };
  }

  private recordSuccess(integrationId: string): void {
    this.health.recordSuccess(integrationId).then(
      (state) => this.persist(integrationId, state),
      (error: unknown) => this.logger.warn(`could not record a success of ${integrationId}: ${String(error)}`),
    );
  }

  private recordFailure(integrationId: string, failure: ProviderError): void {
    this.health.recordFailure(integrationId, { authFailure: failure.kind === 'auth', message: failure.message }).then(
      (state) => this.persist(integrationId, state),
      (error: unknown) => this.logger.warn(`could not record a failure of ${integrationId}: ${String(error)}`),
    );
  }

  /** Transitions only (cooldown started, failing, healthy again): the integration's `health` shown by the API. */
  private persist(integrationId: string, state: HealthTransition): void {
    if (!state.changed) return;
    const health = {
      status: state.status,
      consecutiveFailures: state.consecutiveFailures,
      lastError: state.lastError,
      lastErrorAt: state.lastErrorAt !== null ? new Date(state.lastErrorAt).toISOString() : null,
      lastSuccessAt: state.lastSuccessAt !== null ? new Date(state.lastSuccessAt).toISOString() : null,
      cooldownUntil: state.cooldownUntil !== null ? new Date(state.cooldownUntil).toISOString() : null,
    };
    this.integrations.updateHealth(integrationId, health).catch((error: unknown) => this.logger.warn(`could not store the health of ${integrationId}: ${String(error)}`));
  }

  /** Candidates in the order to try them; throws with every reason when there is none at all. */
  private async candidates(req: ProxyRequest, requested: string, attempts: AttemptRecord[]): Promise<Candidate[]> {
    const { provider: prefixProvider } = splitModelName(requested, (id) => this.catalog.isProviderId(id));
    const inScope = await this.directory.integrationsFor(req.key.organizationId, req.key.projectId);
    const reasons: string[] = [];
    let pool = inScope;
    if (req.pinnedSlug) {
      pool = inScope.filter((r) => r.integration.providerSlug === req.pinnedSlug);
      if (pool.length === 0) throw new NoRouteAvailable(requested, [`no active integration "${req.pinnedSlug}" serves this project`], 'not_found');
    }

    const matches: { routable: RoutableIntegration; model?: ModelEntry; custom?: CustomModel }[] = [];
    for (const routable of pool) {
      const { integration, customModels } = routable;
      if (prefixProvider && integration.provider !== prefixProvider) continue;
      const resolved = resolveRoutableModel({ provider: integration.provider, provisioning: integration.provisioning, customModels, catalog: this.catalog }, requested);
      if (resolved.kind === 'not_enabled') reasons.push(`${integration.providerSlug} has it disabled`);
      if (resolved.kind === 'catalog') matches.push({ routable, model: resolved.model });
      if (resolved.kind === 'custom') matches.push({ routable, custom: customModels.find((m) => m.modelSlug === resolved.modelSlug) });
    }

    const catalogMatches = prefixProvider ? [this.catalog.model(requested)].filter((m): m is ModelEntry => m !== undefined) : this.catalog.findByModelName(requested);
    const providers = new Set<string>(matches.map((m) => m.routable.integration.provider));
    if (providers.size === 0) {
      // No integration serves it: a bare name offered by several providers resolves to the one with a platform credential.
      const withPlatform = catalogMatches.filter((m) => this.platform.for(m.provider));
      for (const m of withPlatform.length > 0 ? withPlatform : catalogMatches) providers.add(m.provider);
    }
    if (providers.size > 1) throw new AmbiguousModel(requested, [...new Set([...matches.map((m) => m.model?.slug ?? `${m.routable.integration.provider}/${requested}`), ...catalogMatches.map((m) => m.slug)])].sort());

    const byok: Candidate[] = [];
    for (const match of matches) {
      const { integration } = match.routable;
      const served: Served = { providerSlug: integration.providerSlug, provider: integration.provider, integrationId: integration.id, credentialSource: 'byok', model: match.model ?? this.baseModel(match.custom), customModel: match.custom, virtualModel: null };
      const resolution = this.integrationCandidate(integration, served, match.custom ? match.custom.modelSlug : match.model!.model);
      if (resolution.kind === 'candidate') byok.push(resolution.candidate);
      else if (resolution.kind === 'skipped') attempts.push(attempt(resolution.served, 'skipped', resolution.reason));
    }
    const ordered = weightedOrder(byok, (c) => c.integration!.options.weight);

    const platformProvider = (prefixProvider ?? [...providers][0]) as ProviderId | undefined;
    const denyPlatform = matches.some((m) => m.routable.integration.options.alwaysUse);
    const platform = platformProvider && !req.pinnedSlug && !denyPlatform ? this.platform.for(platformProvider) : undefined;
    const platformModel = platform ? catalogMatches.find((m) => m.provider === platform.provider) : undefined;
    if (platform && platformModel && SUPPORTED_FAMILIES.includes(this.catalog.requireProvider(platform.provider).apiFamily)) {
      ordered.push({
        served: { providerSlug: platform.label, provider: platform.provider, integrationId: null, credentialSource: 'platform', model: platformModel, customModel: undefined, virtualModel: null },
        providerEntry: this.catalog.requireProvider(platform.provider),
        upstreamModel: platformModel.model,
      });
    }

    if (ordered.length > 0) return ordered;
    if (matches.length === 0 && reasons.length === 0) {
      reasons.push(catalogMatches.length === 0 && !prefixProvider ? 'it is neither a catalog model nor a custom model of this project' : 'no integration of its provider is in scope of this project');
    }
    if (denyPlatform) reasons.push('the platform credential is not used because an integration is marked alwaysUse');
    for (const a of attempts) reasons.push(`${a.providerSlug} is ${a.reason}`);
    const cooling = attempts.length > 0 && attempts.every((a) => a.reason === 'cooling down' || a.reason?.startsWith('failing'));
    throw new NoRouteAvailable(requested, reasons, cooling ? 'unavailable' : 'not_found');
  }

  /** Candidates from explicit targets, ordered by `strategy`; unusable targets are skipped with their reason, and no platform fallback is added. */
  private async targetCandidates(req: ProxyRequest, requested: string, targets: readonly RouteTarget[], strategy: RoutingStrategy, attempts: AttemptRecord[], virtualModel: string | null): Promise<Candidate[]> {
    const chosen = req.pinnedSlug ? targets.filter((t) => t.providerSlug === req.pinnedSlug) : targets;
    if (chosen.length === 0) throw new NoRouteAvailable(requested, [`"${req.pinnedSlug}" is not one of its targets`], 'not_found');
    const inScope = await this.directory.integrationsFor(req.key.organizationId, req.key.projectId);
    const reasons: string[] = [];
    const usable: { candidate: Candidate; weight: number }[] = [];
    for (const target of chosen) {
      const resolution = this.resolveTarget(target, inScope, virtualModel);
      if (resolution.kind === 'candidate') usable.push({ candidate: resolution.candidate, weight: target.weight });
      else if (resolution.kind === 'skipped') attempts.push(attempt(resolution.served, 'skipped', resolution.reason));
      else reasons.push(`${target.providerSlug} ${resolution.reason}`);
    }
    if (usable.length > 0) return orderByStrategy(usable, strategy, (u) => u.weight).map((u) => u.candidate);
    for (const a of attempts) reasons.push(`${a.providerSlug} is ${a.reason}`);
    const cooling = reasons.length === attempts.length && attempts.every((a) => a.reason === 'cooling down' || a.reason?.startsWith('failing'));
    throw new NoRouteAvailable(requested, reasons, cooling ? 'unavailable' : 'not_found');
  }

  private resolveTarget(target: RouteTarget, inScope: readonly RoutableIntegration[], virtualModel: string | null): TargetResolution {
    const platformProvider = platformProviderOf(target.providerSlug);
    if (platformProvider !== undefined) {
      const platform = this.catalog.isProviderId(platformProvider) ? this.platform.for(platformProvider) : undefined;
      if (!platform) return { kind: 'missing', reason: 'has no platform credential configured' };
      const model = platformModel(this.catalog, platform.provider, target.model);
      if (!model) return { kind: 'missing', reason: `does not offer ${target.model}` };
      const providerEntry = this.catalog.requireProvider(platform.provider);
      const served: Served = { providerSlug: platform.label, provider: platform.provider, integrationId: null, credentialSource: 'platform', model, customModel: undefined, virtualModel };
      if (!SUPPORTED_FAMILIES.includes(providerEntry.apiFamily)) return { kind: 'skipped', served, reason: `the ${providerEntry.apiFamily} API format is not supported by the proxy yet` };
      return { kind: 'candidate', candidate: { served, providerEntry, upstreamModel: model.model } };
    }
    const routable = inScope.find((r) => r.integration.providerSlug === target.providerSlug);
    if (!routable) return { kind: 'missing', reason: 'is not an active integration in scope of this project' };
    const { integration, customModels } = routable;
    const resolved = resolveRoutableModel({ provider: integration.provider, provisioning: integration.provisioning, customModels, catalog: this.catalog }, target.model);
    if (resolved.kind === 'not_enabled') return { kind: 'missing', reason: `has ${target.model} disabled` };
    if (resolved.kind === 'unknown') return { kind: 'missing', reason: `does not serve ${target.model}` };
    const custom = resolved.kind === 'custom' ? customModels.find((m) => m.modelSlug === resolved.modelSlug) : undefined;
    const model = resolved.kind === 'catalog' ? resolved.model : this.baseModel(custom);
    const served: Served = { providerSlug: integration.providerSlug, provider: integration.provider, integrationId: integration.id, credentialSource: 'byok', model, customModel: custom, virtualModel };
    return this.integrationCandidate(integration, served, resolved.kind === 'catalog' ? resolved.model.model : resolved.modelSlug);
  }

  /** An integration as a candidate, unless the proxy cannot speak its API format or it is cooling down. */
  private integrationCandidate(integration: Integration, served: Served, upstreamModel: string): TargetResolution {
    const family = integration.options.apiFormat ?? this.catalog.provider(integration.provider)?.apiFamily;
    if (!family || !SUPPORTED_FAMILIES.includes(family)) return { kind: 'skipped', served, reason: `the ${family ?? 'unknown'} API format is not supported by the proxy yet` };
    if (!this.health.isAvailable(integration.id)) {
      return { kind: 'skipped', served, reason: this.health.snapshot(integration.id).status === 'failing' ? 'failing (credential rejected)' : 'cooling down' };
    }
    return { kind: 'candidate', candidate: { served, integration, providerEntry: this.catalog.requireProvider(integration.provider), upstreamModel } };
  }

  private baseModel(custom: CustomModel | undefined): ModelEntry | undefined {
    return custom?.baseModel ? this.catalog.model(custom.baseModel) : undefined;
  }

  private async target(candidate: Candidate): Promise<UpstreamTarget> {
    const { integration, providerEntry } = candidate;
    if (!integration) {
      const platform = this.platform.for(candidate.served.provider)!;
      return this.build(providerEntry, providerEntry.apiFamily as EgressFamily, platform.baseUrl ?? providerEntry.defaultBaseUrl, candidate, platform.credential.reveal(), {});
    }
    const { credential, headers } = await this.vault.open(integration);
    const family = (integration.options.apiFormat ?? providerEntry.apiFamily) as EgressFamily;
    const customHost = candidate.served.customModel?.customHost ?? integration.options.customHost;
    return this.build(providerEntry, family, customHost ?? providerEntry.defaultBaseUrl, candidate, credential.reveal(), headers.reveal());
  }

  private build(provider: ProviderEntry, family: EgressFamily, baseUrl: string, candidate: Candidate, credential: Credential, custom: Record<string, string>): UpstreamTarget {
    const apiKey = (credential as { apiKey?: string }).apiKey ?? '';
    const auth: Record<string, string> = family === 'anthropic' ? { 'x-api-key': apiKey } : { authorization: `Bearer ${apiKey}` };
    return {
      family,
      providerId: provider.id,
      baseUrl,
      model: candidate.upstreamModel,
      headers: { ...custom, ...auth },
      secrets: [...secretValues(credential), ...Object.values(custom)],
      maxOutputTokens: candidate.served.model?.maxOutputTokens,
    };
  }
}

function pricingOf(served: Served): TokenPricing | undefined {
  const custom = served.customModel;
  if (custom) return { inputPerMTok: custom.inputPricePerMTok, outputPerMTok: custom.outputPricePerMTok, additional: custom.additionalPricing ?? undefined };
  return served.model?.pricing;
}

function attempt(served: Served, outcome: AttemptRecord['outcome'], reason?: string): AttemptRecord {
  return { providerSlug: served.providerSlug, credentialSource: served.credentialSource, integrationId: served.integrationId, outcome, ...(reason ? { reason } : {}) };
}

function asProviderError(error: unknown): ProviderError | undefined {
  return error instanceof ProviderError ? error : undefined;
}
