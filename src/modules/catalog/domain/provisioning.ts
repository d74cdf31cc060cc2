import { Catalog, ModelEntry, ProviderId, modelSlug } from './catalog';
import { ModelsNotOfferedByProvider } from './catalog.errors';

/**
 * Which catalog models an integration may route. `overrides` is keyed by catalog slug; a model without
 * an override is enabled exactly when `autoEnable` is on, so models added to the catalog later follow it.
 */
export type Provisioning = {
  readonly autoEnable: boolean;
  readonly overrides: Readonly<Record<string, boolean>>;
};

export type ProvisioningChange =
  | { readonly all: true }
  | { readonly none: true }
  | { readonly models: Readonly<Record<string, boolean>> };

export type CustomModelRef = { readonly modelSlug: string };

export type RoutableModelInput = {
  readonly provider: ProviderId;
  readonly provisioning: Provisioning;
  readonly customModels: readonly CustomModelRef[];
  readonly catalog: Catalog;
};

export type RoutableModel =
  | { readonly kind: 'catalog'; readonly model: ModelEntry }
  | { readonly kind: 'custom'; readonly modelSlug: string }
  | { readonly kind: 'not_enabled' }
  | { readonly kind: 'unknown' };

export function isCatalogModelEnabled(provisioning: Provisioning, slug: string): boolean {
  return Object.hasOwn(provisioning.overrides, slug) ? provisioning.overrides[slug] === true : provisioning.autoEnable;
}

/**
 * All / none set every model the provider offers now and turn `autoEnable` on / off, so models added
 * later follow the same choice; per-model toggles merge into the existing overrides and leave
 * `autoEnable` as it is.
 * Throws {@link ModelsNotOfferedByProvider} naming every toggled slug that is not one of the provider's.
 */
export function applyProvisioningChange(
  provisioning: Provisioning,
  change: ProvisioningChange,
  providerModelSlugs: readonly string[],
): Provisioning {
  if ('all' in change) return { autoEnable: true, overrides: setEvery(providerModelSlugs, true) };
  if ('none' in change) return { autoEnable: false, overrides: setEvery(providerModelSlugs, false) };
  return { autoEnable: provisioning.autoEnable, overrides: mergeToggles(provisioning.overrides, change.models, providerModelSlugs) };
}

export function enabledCatalogModels(provisioning: Provisioning, providerModels: readonly ModelEntry[]): ModelEntry[] {
  return providerModels.filter((model) => isCatalogModelEnabled(provisioning, model.slug));
}

/**
 * What a request for `requestedModel` reaches through one integration. The name may be the full
 * catalog slug (`provider/model`) or the provider's own model id; a custom model matches on its
 * `modelSlug` (with or without the provider prefix) and takes precedence over a catalog model.
 */
export function resolveRoutableModel(input: RoutableModelInput, requestedModel: string): RoutableModel {
  const custom = findCustomModel(input, requestedModel);
  if (custom) return { kind: 'custom', modelSlug: custom.modelSlug };

  const model = findCatalogModel(input, requestedModel);
  if (!model) return { kind: 'unknown' };
  if (!isCatalogModelEnabled(input.provisioning, model.slug)) return { kind: 'not_enabled' };
  return { kind: 'catalog', model };
}

function setEvery(slugs: readonly string[], enabled: boolean): Record<string, boolean> {
  const overrides: Record<string, boolean> = {};
  for (const slug of slugs) overrides[slug] = enabled;
  return overrides;
}

function mergeToggles(
  current: Readonly<Record<string, boolean>>,
  toggles: Readonly<Record<string, boolean>>,
  providerModelSlugs: readonly string[],
): Record<string, boolean> {
  const offered = new Set(providerModelSlugs);
  const notOffered = Object.keys(toggles).filter((slug) => !offered.has(slug));
  if (notOffered.length > 0) throw new ModelsNotOfferedByProvider(notOffered);
  return { ...current, ...toggles };
}

function findCustomModel(input: RoutableModelInput, requestedModel: string): CustomModelRef | undefined {
  const exact = input.customModels.find((custom) => custom.modelSlug === requestedModel);
  if (exact) return exact;
  const bare = withoutProviderPrefix(input.provider, requestedModel);
  return bare === undefined ? undefined : input.customModels.find((custom) => custom.modelSlug === bare);
}

function findCatalogModel(input: RoutableModelInput, requestedModel: string): ModelEntry | undefined {
  const isFullSlug = withoutProviderPrefix(input.provider, requestedModel) !== undefined;
  const bySlug = isFullSlug ? input.catalog.model(requestedModel) : undefined;
  return bySlug ?? input.catalog.model(modelSlug(input.provider, requestedModel));
}

function withoutProviderPrefix(provider: ProviderId, requestedModel: string): string | undefined {
  const prefix = `${provider}/`;
  return requestedModel.startsWith(prefix) ? requestedModel.slice(prefix.length) : undefined;
}
