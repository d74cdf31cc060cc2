import { randomUUID } from 'node:crypto';
import type { FieldError } from '../../../platform/errors/domain-error';
import type { ApiFamily, Catalog } from '../../catalog/domain/catalog';
import type { TokenPricing } from '../../catalog/domain/cost';
import type { AdvancedOptions } from './integration';

/** One path segment: letters, digits, `.`, `_`, `:`, `-`; no slash, so it can name the model in a URL. */
export const CUSTOM_MODEL_SLUG = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const CUSTOM_MODEL_SLUG_RULE = 'must be 1–128 letters, digits, dots, underscores, colons or dashes, starting with a letter or digit';
export const PRICING_CATEGORY = /^[a-z0-9_]{1,64}$/;
export const MAX_ADDITIONAL_PRICES = 20;

/** Extra USD prices per 1M tokens, keyed by token category (e.g. `cache_read_input_tokens`). */
export type AdditionalPricing = Readonly<Record<string, number>>;

/** What an owner sets on a custom model. Prices are USD per 1M tokens. */
export type CustomModelFields = {
  modelSlug: string;
  baseModel: string | null;
  customHost: string | null;
  inputPricePerMTok: number;
  outputPricePerMTok: number;
  additionalPricing: AdditionalPricing | null;
};

/**
 * A model an integration serves that the catalog does not list (a fine-tune, a self-hosted model), with
 * the owner's own prices. `baseModel` names the catalog model whose request and response schema it
 * follows; `customHost` sends it somewhere other than the integration's endpoint.
 */
export class CustomModel {
  readonly createdAt: Date = new Date();
  updatedAt: Date = new Date();

  constructor(
    readonly id: string,
    readonly integrationId: string,
    readonly organizationId: string,
    public modelSlug: string,
    public baseModel: string | null,
    public customHost: string | null,
    public inputPricePerMTok: number,
    public outputPricePerMTok: number,
    public additionalPricing: AdditionalPricing | null,
  ) {}

  static create(owner: { integrationId: string; organizationId: string }, fields: CustomModelFields): CustomModel {
    return new CustomModel(
      randomUUID(),
      owner.integrationId,
      owner.organizationId,
      fields.modelSlug,
      fields.baseModel,
      fields.customHost,
      fields.inputPricePerMTok,
      fields.outputPricePerMTok,
      fields.additionalPricing,
    );
  }

  fields(): CustomModelFields {
    return {
      modelSlug: this.modelSlug,
      baseModel: this.baseModel,
      customHost: this.customHost,
      inputPricePerMTok: this.inputPricePerMTok,
      outputPricePerMTok: this.outputPricePerMTok,
      additionalPricing: this.additionalPricing,
    };
  }

  apply(fields: CustomModelFields): void {
    this.modelSlug = fields.modelSlug;
    this.baseModel = fields.baseModel;
    this.customHost = fields.customHost;
    this.inputPricePerMTok = fields.inputPricePerMTok;
    this.outputPricePerMTok = fields.outputPricePerMTok;
    this.additionalPricing = fields.additionalPricing;
    this.updatedAt = new Date();
  }

  /** The prices in the form cost computation takes. */
  pricing(): TokenPricing {
    const base = { inputPerMTok: this.inputPricePerMTok, outputPerMTok: this.outputPricePerMTok };
    return this.additionalPricing ? { ...base, additional: { ...this.additionalPricing } } : base;
  }
}

/**
 * The rules a custom model's values must keep on their own (the base model and the host need the catalog
 * and the network; see {@link baseModelProblem}). Fields left undefined are not checked. Errors name the
 * API fields.
 */
export function customModelFieldProblems(fields: Partial<CustomModelFields>): FieldError[] {
  const errors: FieldError[] = [];
  if (fields.modelSlug !== undefined && !CUSTOM_MODEL_SLUG.test(fields.modelSlug)) errors.push({ field: 'modelSlug', message: CUSTOM_MODEL_SLUG_RULE });
  if (fields.inputPricePerMTok !== undefined && !isPrice(fields.inputPricePerMTok)) errors.push({ field: 'inputPricePerMTok', message: PRICE_RULE });
  if (fields.outputPricePerMTok !== undefined && !isPrice(fields.outputPricePerMTok)) errors.push({ field: 'outputPricePerMTok', message: PRICE_RULE });
  if (fields.additionalPricing) errors.push(...additionalPricingProblems(fields.additionalPricing));
  return errors;
}

const PRICE_RULE = 'must be a number of USD per 1M tokens, 0 or more';

/** `additionalPricing`: an object of at most 20 `category → price`, categories `^[a-z0-9_]{1,64}$`, prices ≥ 0. */
export function additionalPricingProblems(value: unknown): FieldError[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ field: 'additionalPricing', message: 'must be an object of token category → USD per 1M tokens' }];
  }
  const entries = Object.entries(value);
  const errors: FieldError[] = [];
  if (entries.length > MAX_ADDITIONAL_PRICES) errors.push({ field: 'additionalPricing', message: `must have at most ${MAX_ADDITIONAL_PRICES} prices` });
  for (const [category, price] of entries) {
    if (!PRICING_CATEGORY.test(category)) {
      errors.push({ field: `additionalPricing.${category}`, message: 'is not a token category: use 1–64 lowercase letters, digits or underscores' });
    } else if (!isPrice(price)) {
      errors.push({ field: `additionalPricing.${category}`, message: PRICE_RULE });
    }
  }
  return errors;
}

/**
 * The wire formats an integration speaks: its provider's API family, plus the declared format of its
 * custom host when it has one (a host in front of an OpenAI integration may speak Anthropic, say).
 */
export function apiFamiliesSpoken(provider: { apiFamily: ApiFamily }, options: Pick<AdvancedOptions, 'customHost' | 'apiFormat'>): ApiFamily[] {
  const families: ApiFamily[] = [provider.apiFamily];
  if (options.customHost && options.apiFormat && options.apiFormat !== provider.apiFamily) families.push(options.apiFormat);
  return families;
}

/** Why `baseModel` cannot be the base of a custom model on an integration speaking `families`; null when it can. */
export function baseModelProblem(baseModel: string, families: readonly ApiFamily[], catalog: Catalog): FieldError | null {
  const model = catalog.model(baseModel);
  if (!model) return { field: 'baseModel', message: 'is not a catalog model slug (provider/model)' };
  const family = catalog.provider(model.provider)?.apiFamily;
  if (family && families.includes(family)) return null;
  return { field: 'baseModel', message: `follows the ${family ?? 'unknown'} API, which this integration does not speak (it speaks ${families.join(', ')})` };
}

function isPrice(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
