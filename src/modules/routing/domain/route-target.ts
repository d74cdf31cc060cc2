import type { FieldError } from '../../../platform/errors/domain-error';
import type { Catalog, ModelEntry, ProviderId } from '../../catalog/domain/catalog';
import { Provisioning, resolveRoutableModel } from '../../catalog/domain/provisioning';
import { weightedOrder } from './candidates';

/** Names of virtual models and gateway configs: one segment, so it can be sent as a model name or a header value. */
export const POLICY_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
export const POLICY_NAME_RULE = 'must be 1–64 letters, digits, dots, underscores, colons or dashes, starting with a letter or digit';

/** An integration slug (`anthropic-prod`) or `platform:<provider>` for the operator's own credential. */
export const TARGET_SLUG = /^(?:platform:[a-z0-9][a-z0-9-]{0,62}|[a-z0-9][a-z0-9-]{1,62})$/;
export const TARGET_SLUG_RULE = 'must be an integration slug or platform:<provider>';
export const PLATFORM_PREFIX = 'platform:';

export const MIN_TARGETS = 1;
export const MAX_TARGETS = 20;
export const MIN_WEIGHT = 1;
export const MAX_WEIGHT = 1000;
export const DEFAULT_WEIGHT = 1;

/** Where a virtual model or a gateway config sends traffic: a credential (by slug) and the model to call there. */
export type RouteTarget = { readonly providerSlug: string; readonly model: string; readonly weight: number };

export type RoutingStrategy = 'fallback' | 'loadbalance';
export const ROUTING_STRATEGIES: readonly RoutingStrategy[] = ['fallback', 'loadbalance'];

/** The provider of a `platform:<provider>` slug, or undefined for an integration slug. */
export function platformProviderOf(providerSlug: string): string | undefined {
  return providerSlug.startsWith(PLATFORM_PREFIX) ? providerSlug.slice(PLATFORM_PREFIX.length) : undefined;
}

/** An integration a target may name: of the project's organization and in scope of the project. */
export type TargetIntegration = {
  readonly providerSlug: string;
  readonly provider: ProviderId;
  readonly provisioning: Provisioning;
  readonly customModelSlugs: readonly string[];
};

/** What the targets of one project may name. */
export type TargetOptions = {
  readonly integrations: readonly TargetIntegration[];
  /** Providers the operator configured a platform credential for. */
  readonly platformProviders: readonly string[];
};

/** The catalog model a platform target calls: `provider/model` or the provider's own id. */
export function platformModel(catalog: Catalog, provider: string, model: string): ModelEntry | undefined {
  const bySlug = catalog.model(model);
  if (bySlug?.provider === provider) return bySlug;
  return catalog.model(`${provider}/${model}`);
}

/** Shape rules the DTO also checks (count, weights); kept here so the domain never holds a malformed list. */
export function targetListProblems(targets: readonly RouteTarget[], field: string): FieldError[] {
  if (targets.length < MIN_TARGETS || targets.length > MAX_TARGETS) return [{ field, message: `must hold ${MIN_TARGETS}–${MAX_TARGETS} targets` }];
  const problems: FieldError[] = [];
  targets.forEach((target, i) => {
    if (!TARGET_SLUG.test(target.providerSlug)) problems.push({ field: `${field}[${i}].providerSlug`, message: TARGET_SLUG_RULE });
    if (target.model.trim() === '') problems.push({ field: `${field}[${i}].model`, message: 'should not be empty' });
    if (!Number.isInteger(target.weight) || target.weight < MIN_WEIGHT || target.weight > MAX_WEIGHT) {
      problems.push({ field: `${field}[${i}].weight`, message: `must be an integer from ${MIN_WEIGHT} to ${MAX_WEIGHT}` });
    }
  });
  return problems;
}

/**
 * Whether each target names something the project can reach: an integration of the organization in
 * scope of the project with a catalog model of its provider (enabled or not: provisioning may change)
 * or one of its custom models; or `platform:<provider>` with a configured platform credential and a
 * catalog model of that provider. A target may not repeat another.
 */
export function targetReferenceProblems(targets: readonly RouteTarget[], options: TargetOptions, catalog: Catalog, field: string): FieldError[] {
  const problems: FieldError[] = [];
  const seen = new Map<string, number>();
  targets.forEach((target, i) => {
    const at = `${field}[${i}]`;
    const key = `${target.providerSlug}\u0000${target.model}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push({ field: at, message: `repeats ${field}[${first}]` });
    else seen.set(key, i);
    problems.push(...referenceProblems(target, options, catalog, at));
  });
  return problems;
}

function referenceProblems(target: RouteTarget, options: TargetOptions, catalog: Catalog, at: string): FieldError[] {
  const platform = platformProviderOf(target.providerSlug);
  if (platform !== undefined) {
    if (!catalog.isProviderId(platform)) return [{ field: `${at}.providerSlug`, message: `names "${platform}", which is not a catalog provider` }];
    if (!options.platformProviders.includes(platform)) return [{ field: `${at}.providerSlug`, message: `no platform credential is configured for ${platform}` }];
    if (!platformModel(catalog, platform, target.model)) return [{ field: `${at}.model`, message: `is not a catalog model of ${platform}` }];
    return [];
  }
  const integration = options.integrations.find((i) => i.providerSlug === target.providerSlug);
  if (!integration) return [{ field: `${at}.providerSlug`, message: 'is not an integration in scope of this project' }];
  const customModels = integration.customModelSlugs.map((modelSlug) => ({ modelSlug }));
  const resolved = resolveRoutableModel({ provider: integration.provider, provisioning: integration.provisioning, customModels, catalog }, target.model);
  if (resolved.kind === 'unknown') return [{ field: `${at}.model`, message: `is neither a catalog model of ${integration.provider} nor a custom model of ${integration.providerSlug}` }];
  return [];
}

/** `fallback`: the listed order. `loadbalance`: weighted random, the rest following as fallbacks in weighted order. */
export function orderByStrategy<T>(items: readonly T[], strategy: RoutingStrategy, weightOf: (item: T) => number, random: () => number = Math.random): T[] {
  return strategy === 'fallback' ? [...items] : weightedOrder(items, weightOf, random);
}
