import { CatalogInvalid, UnknownModel, UnknownProvider } from './catalog.errors';

export const PROVIDER_IDS = [
  'openai',
  'anthropic',
  'google',
  'vertex-ai',
  'azure-openai',
  'bedrock',
  'cohere',
  'groq',
  'together-ai',
  'fireworks-ai',
  'deepinfra',
  'baseten',
  'nebius',
  'perplexity',
  'xai',
  'moonshot',
  'minimax',
  'mistral',
  'deepseek',
  'fal-ai',
  'pollo-ai',
] as const;
/** `google` is Google AI Studio (the Gemini API); `vertex-ai` is Gemini and partner models on Google Cloud. */
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const API_FAMILIES = ['openai', 'anthropic', 'gemini', 'vertex', 'azure-openai', 'bedrock', 'cohere', 'media'] as const;
export type ApiFamily = (typeof API_FAMILIES)[number];

export const CREDENTIAL_SHAPES = ['api-key', 'vertex-service-account', 'azure-openai', 'bedrock-iam'] as const;
export type CredentialShape = (typeof CREDENTIAL_SHAPES)[number];

/**
 * How the credential goes on the wire: `bearer` (Authorization: Bearer), `x-api-key`, `api-key-header`
 * (Azure's `api-key`), `x-goog-api-key`, `authorization-key` (Authorization: Key, fal.ai), `google-oauth`
 * (access token minted from a service account), `aws-sigv4`, `query-key` (`?key=`).
 */
export const AUTH_SCHEMES = [
  'bearer',
  'x-api-key',
  'api-key-header',
  'x-goog-api-key',
  'authorization-key',
  'google-oauth',
  'aws-sigv4',
  'query-key',
] as const;
export type AuthScheme = (typeof AUTH_SCHEMES)[number];

export const MODALITIES = ['chat', 'embedding', 'image', 'video'] as const;
export type Modality = (typeof MODALITIES)[number];

export type ProviderEntry = {
  readonly id: ProviderId;
  readonly displayName: string;
  readonly apiFamily: ApiFamily;
  readonly credentialShape: CredentialShape;
  readonly authScheme: AuthScheme;
  /** May hold `{region}`, `{resourceName}`-style placeholders filled from the credential. */
  readonly defaultBaseUrl: string;
  readonly docsUrl: string;
};

/** USD per 1M tokens; media models may be billed per image or per second of output instead. */
export type ModelPricing = {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  readonly cachedInputPerMTok?: number;
  readonly cacheWritePerMTok?: number;
  readonly perImage?: number;
  readonly perSecond?: number;
};

export type ModelCapabilities = {
  readonly streaming: boolean;
  readonly tools: boolean;
  readonly vision: boolean;
};

export type ModelEntry = {
  /** `${provider}/${model}`; the model part may itself contain slashes. */
  readonly slug: string;
  readonly provider: ProviderId;
  /** The id the provider's API expects. */
  readonly model: string;
  readonly displayName: string;
  readonly modality: Modality;
  readonly contextWindow?: number;
  readonly maxOutputTokens?: number;
  readonly capabilities: ModelCapabilities;
  readonly pricing: ModelPricing;
  readonly notes?: string;
};

export type CatalogSource = { readonly name: string; readonly url: string };

export type CatalogData = {
  readonly version: string;
  /** The day the prices were taken from the sources (YYYY-MM-DD). */
  readonly pricingDate: string;
  readonly sources: readonly CatalogSource[];
  readonly providers: readonly ProviderEntry[];
  readonly models: readonly ModelEntry[];
};

export type ModelFilter = { readonly provider?: ProviderId; readonly modality?: Modality };

/** The identifying fields of a catalog, possibly only partly well-formed; a hole is an entry to skip. */
export type CatalogIdentity = {
  readonly providers: readonly ({ readonly id: string } | undefined)[];
  readonly models: readonly ({ readonly slug: string; readonly provider: string; readonly model: string } | undefined)[];
};

export function modelSlug(provider: string, model: string): string {
  return `${provider}/${model}`;
}

/**
 * Rules a JSON Schema cannot state: one entry per provider and every known provider present, each
 * model's provider listed, slug = provider/model, slugs unique. Returns one readable line per problem.
 */
export function catalogConsistencyProblems(catalog: CatalogIdentity): string[] {
  const problems: string[] = [];
  const providerIds = new Set<string>();
  catalog.providers.forEach((provider, index) => {
    if (!provider) return;
    if (providerIds.has(provider.id)) problems.push(`/providers/${index}/id duplicate provider ${provider.id}`);
    providerIds.add(provider.id);
  });
  for (const id of PROVIDER_IDS) {
    if (!providerIds.has(id)) problems.push(`missing provider ${id}`);
  }
  const slugs = new Set<string>();
  catalog.models.forEach((model, index) => {
    if (!model) return;
    if (!providerIds.has(model.provider)) problems.push(`/models/${index}/provider ${model.provider} has no provider entry`);
    const expected = modelSlug(model.provider, model.model);
    if (model.slug !== expected) problems.push(`/models/${index}/slug must equal "${expected}"`);
    if (slugs.has(model.slug)) problems.push(`duplicate slug ${model.slug}`);
    slugs.add(model.slug);
  });
  return problems;
}

const NO_MODELS: readonly ModelEntry[] = Object.freeze([]);

/**
 * The read-only catalog. Built once at startup from validated data; every lookup used on the request
 * path is a map hit.
 */
export class Catalog {
  readonly version: string;
  readonly pricingDate: string;
  readonly sources: readonly CatalogSource[];
  private readonly providerList: readonly ProviderEntry[];
  private readonly modelList: readonly ModelEntry[];
  private readonly providersById: ReadonlyMap<string, ProviderEntry>;
  private readonly modelsBySlug: ReadonlyMap<string, ModelEntry>;
  private readonly modelsByProvider: ReadonlyMap<string, readonly ModelEntry[]>;
  private readonly modelsByName: ReadonlyMap<string, readonly ModelEntry[]>;

  constructor(data: CatalogData) {
    const problems = catalogConsistencyProblems(data);
    if (problems.length > 0) throw new CatalogInvalid('catalog', problems);

    this.version = data.version;
    this.pricingDate = data.pricingDate;
    this.sources = deepFreeze(data.sources.map((source) => ({ ...source })));
    this.providerList = deepFreeze(data.providers.map((provider) => ({ ...provider })));
    this.modelList = deepFreeze(data.models.map(copyModel));
    this.providersById = new Map(this.providerList.map((provider) => [provider.id, provider]));
    this.modelsBySlug = new Map(this.modelList.map((model) => [model.slug, model]));
    this.modelsByProvider = groupBy(this.modelList, (model) => model.provider);
    this.modelsByName = groupBy(this.modelList, (model) => model.model);
  }

  providers(): readonly ProviderEntry[] {
    return this.providerList;
  }

  provider(id: string): ProviderEntry | undefined {
    return this.providersById.get(id);
  }

  requireProvider(id: string): ProviderEntry {
    const provider = this.providersById.get(id);
    if (!provider) throw new UnknownProvider(id);
    return provider;
  }

  isProviderId(value: unknown): value is ProviderId {
    return typeof value === 'string' && this.providersById.has(value);
  }

  models(filter: ModelFilter = {}): readonly ModelEntry[] {
    const scope = filter.provider === undefined ? this.modelList : this.modelsOf(filter.provider);
    if (filter.modality === undefined) return scope;
    const modality = filter.modality;
    return scope.filter((model) => model.modality === modality);
  }

  model(slug: string): ModelEntry | undefined {
    return this.modelsBySlug.get(slug);
  }

  requireModel(slug: string): ModelEntry {
    const model = this.modelsBySlug.get(slug);
    if (!model) throw new UnknownModel(slug);
    return model;
  }

  modelsOf(provider: string): readonly ModelEntry[] {
    return this.modelsByProvider.get(provider) ?? NO_MODELS;
  }

  /** Every entry whose provider-side id equals `name`, across providers (for bare-name resolution). */
  findByModelName(name: string): readonly ModelEntry[] {
    return this.modelsByName.get(name) ?? NO_MODELS;
  }
}

function copyModel(model: ModelEntry): ModelEntry {
  return { ...model, capabilities: { ...model.capabilities }, pricing: { ...model.pricing } };
}

function groupBy(models: readonly ModelEntry[], key: (model: ModelEntry) => string): ReadonlyMap<string, readonly ModelEntry[]> {
  const groups = new Map<string, ModelEntry[]>();
  for (const model of models) {
    const group = groups.get(key(model));
    if (group) group.push(model);
    else groups.set(key(model), [model]);
  }
  for (const group of groups.values()) Object.freeze(group);
  return groups;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
