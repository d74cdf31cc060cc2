import type { Catalog, ModelEntry, ModelPricing, ProviderEntry } from '../domain/catalog';
import type { CatalogModelResponse, CatalogProviderResponse, ModelPricingResponse } from './catalog.dto';

export const toCatalogProvider = (provider: ProviderEntry, catalog: Catalog): CatalogProviderResponse => ({
  id: provider.id,
  displayName: provider.displayName,
  apiFamily: provider.apiFamily,
  credentialShape: provider.credentialShape,
  authScheme: provider.authScheme,
  defaultBaseUrl: provider.defaultBaseUrl,
  docsUrl: provider.docsUrl,
  modelCount: catalog.modelsOf(provider.id).length,
});

export const toCatalogModel = (model: ModelEntry): CatalogModelResponse => ({
  slug: model.slug,
  provider: model.provider,
  model: model.model,
  displayName: model.displayName,
  modality: model.modality,
  ...definedOnly({ contextWindow: model.contextWindow, maxOutputTokens: model.maxOutputTokens }),
  capabilities: { streaming: model.capabilities.streaming, tools: model.capabilities.tools, vision: model.capabilities.vision },
  pricing: toPricing(model.pricing),
  ...definedOnly({ notes: model.notes }),
});

const toPricing = (pricing: ModelPricing): ModelPricingResponse => ({
  inputPerMTok: pricing.inputPerMTok,
  outputPerMTok: pricing.outputPerMTok,
  ...definedOnly({
    cachedInputPerMTok: pricing.cachedInputPerMTok,
    cacheWritePerMTok: pricing.cacheWritePerMTok,
    perImage: pricing.perImage,
    perSecond: pricing.perSecond,
  }),
});

/** Drops absent optional fields, so a model not billed per image has no `perImage` key at all (rather than `null`). */
function definedOnly<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
