/**
 * Token counts of one request, as the provider adapters report them. `inputTokens` counts every prompt
 * token, including the ones read from and written to the prompt cache; `cachedInputTokens` and
 * `cacheWriteTokens` say which part of it was which.
 */
export type TokenUsage = {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedInputTokens?: number;
  readonly cacheWriteTokens?: number;
};

/**
 * USD per 1M tokens. `additional` carries a custom model's extra prices keyed by token category; the
 * categories in {@link ADDITIONAL_PRICING_KEYS} stand in for the cache prices when those are not set.
 */
export type TokenPricing = {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  readonly cachedInputPerMTok?: number;
  readonly cacheWritePerMTok?: number;
  readonly additional?: Readonly<Record<string, number>>;
};

export const ADDITIONAL_PRICING_KEYS = {
  cacheRead: 'cache_read_input_tokens',
  cacheWrite: 'cache_creation_input_tokens',
} as const;

const TOKENS_PER_PRICE_UNIT = 1_000_000;
const USD_PRECISION = 1e9;

/**
 * The cost of one request in USD, rounded to 1e-9. Cache reads and writes are billed at their own
 * price when one is known, else at the input price. A negative or non-finite token count counts as 0; a
 * negative or non-finite price counts as unset.
 */
export function computeCostUsd(usage: TokenUsage, pricing: TokenPricing): number {
  const input = tokens(usage.inputTokens);
  const cached = tokens(usage.cachedInputTokens);
  const cacheWrite = tokens(usage.cacheWriteTokens);
  const uncached = Math.max(0, input - cached - cacheWrite);

  const inputPrice = price(pricing.inputPerMTok) ?? 0;
  const cachedPrice = cacheReadPrice(pricing) ?? inputPrice;
  const cacheWritePrice = cacheWritePriceOf(pricing) ?? inputPrice;
  const outputPrice = price(pricing.outputPerMTok) ?? 0;

  const perMTok =
    uncached * inputPrice + cached * cachedPrice + cacheWrite * cacheWritePrice + tokens(usage.outputTokens) * outputPrice;
  return roundUsd(perMTok / TOKENS_PER_PRICE_UNIT);
}

/**
 * The most a request can cost, for budget reservations: every estimated input token at the full input
 * price, or at the cache-write price where that is higher (what is cached is not known in advance),
 * plus the whole output allowance.
 */
export function worstCaseCostUsd(inputTokensEstimate: number, maxOutputTokens: number, pricing: TokenPricing): number {
  const perMTok =
    tokens(inputTokensEstimate) * Math.max(price(pricing.inputPerMTok) ?? 0, cacheWritePriceOf(pricing) ?? 0) + tokens(maxOutputTokens) * (price(pricing.outputPerMTok) ?? 0);
  return roundUsd(perMTok / TOKENS_PER_PRICE_UNIT);
}

function cacheReadPrice(pricing: TokenPricing): number | undefined {
  return price(pricing.cachedInputPerMTok) ?? price(pricing.additional?.[ADDITIONAL_PRICING_KEYS.cacheRead]);
}

function cacheWritePriceOf(pricing: TokenPricing): number | undefined {
  return price(pricing.cacheWritePerMTok) ?? price(pricing.additional?.[ADDITIONAL_PRICING_KEYS.cacheWrite]);
}

function tokens(count: number | undefined): number {
  return count !== undefined && Number.isFinite(count) && count > 0 ? count : 0;
}

function price(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function roundUsd(usd: number): number {
  return Math.round(usd * USD_PRECISION) / USD_PRECISION;
}
