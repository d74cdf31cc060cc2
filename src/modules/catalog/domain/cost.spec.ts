import { computeCostUsd, worstCaseCostUsd } from './cost';

const sonnet = { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3, cacheWritePerMTok: 3.75 };

describe('computeCostUsd', () => {
  it('prices input and output tokens per million', () => {
    expect(computeCostUsd({ inputTokens: 1_000_000, outputTokens: 1_000_000 }, { inputPerMTok: 2.5, outputPerMTok: 10 })).toBe(12.5);
    expect(computeCostUsd({ inputTokens: 1200, outputTokens: 350 }, { inputPerMTok: 2.5, outputPerMTok: 10 })).toBe(0.0065);
  });

  it('bills cache reads and cache writes at their own prices and only the rest at the input price', () => {
    // 10,000 prompt tokens: 6,000 read from cache, 2,000 written to it, 2,000 plain; 500 output.
    // 2,000 × 3 + 6,000 × 0.3 + 2,000 × 3.75 + 500 × 15 = 6,000 + 1,800 + 7,500 + 7,500 = 22,800 per 1M → $0.0228
    const usage = { inputTokens: 10_000, cachedInputTokens: 6_000, cacheWriteTokens: 2_000, outputTokens: 500 };
    expect(computeCostUsd(usage, sonnet)).toBe(0.0228);
  });

  it('bills cached tokens at the input price when the model has no cache price', () => {
    const usage = { inputTokens: 10_000, cachedInputTokens: 6_000, cacheWriteTokens: 2_000, outputTokens: 0 };
    expect(computeCostUsd(usage, { inputPerMTok: 1, outputPerMTok: 2 })).toBe(0.01);
  });

  it("uses a custom model's additional pricing for cache reads and writes", () => {
    // 1,000 plain × 2 + 3,000 read × 0.2 + 1,000 written × 2.5 + 1,000 output × 8 = 2,000 + 600 + 2,500 + 8,000 → $0.0131
    const pricing = { inputPerMTok: 2, outputPerMTok: 8, additional: { cache_read_input_tokens: 0.2, cache_creation_input_tokens: 2.5 } };
    const usage = { inputTokens: 5_000, cachedInputTokens: 3_000, cacheWriteTokens: 1_000, outputTokens: 1_000 };
    expect(computeCostUsd(usage, pricing)).toBe(0.0131);
  });

  it('prefers an explicit cache price over additional pricing', () => {
    const pricing = { inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 0.5, additional: { cache_read_input_tokens: 0.2 } };
    expect(computeCostUsd({ inputTokens: 1_000_000, cachedInputTokens: 1_000_000, outputTokens: 0 }, pricing)).toBe(0.5);
  });

  it('costs nothing for zero tokens', () => {
    expect(computeCostUsd({ inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 }, sonnet)).toBe(0);
  });

  it('never charges a negative uncached part when an adapter reports more cache tokens than prompt tokens', () => {
    // uncached clamps to 0; the 2,000 cache reads still cost 2,000 × 0.3 = 600 per 1M.
    expect(computeCostUsd({ inputTokens: 1_000, cachedInputTokens: 2_000, outputTokens: 0 }, sonnet)).toBe(0.0006);
  });

  it('treats negative or non-numeric token counts as zero', () => {
    const usage = { inputTokens: Number.NaN, cachedInputTokens: -5, cacheWriteTokens: Number.POSITIVE_INFINITY, outputTokens: -1 };
    expect(computeCostUsd(usage, sonnet)).toBe(0);
  });

  it('ignores a negative or NaN cache price and falls back to the input price', () => {
    const pricing = { inputPerMTok: 1, outputPerMTok: 1, cachedInputPerMTok: -1, cacheWritePerMTok: Number.NaN };
    expect(computeCostUsd({ inputTokens: 2_000_000, cachedInputTokens: 1_000_000, cacheWriteTokens: 1_000_000, outputTokens: 0 }, pricing)).toBe(2);
  });

  it('rounds to a billionth of a dollar', () => {
    // 1 token at $0.15 per 1M = $0.00000015; 7 tokens at $0.0375 per 1M = $0.0000002625 → 0.000000263
    expect(computeCostUsd({ inputTokens: 1, outputTokens: 0 }, { inputPerMTok: 0.15, outputPerMTok: 0 })).toBe(0.00000015);
    expect(computeCostUsd({ inputTokens: 7, outputTokens: 0 }, { inputPerMTok: 0.0375, outputPerMTok: 0 })).toBe(0.000000263);
  });
});

describe('worstCaseCostUsd', () => {
  it('reserves the whole estimated prompt at the full input price plus the whole output allowance', () => {
    // 20,000 × 2.5 + 4,096 × 10 = 50,000 + 40,960 = 90,960 per 1M
    expect(worstCaseCostUsd(20_000, 4_096, { inputPerMTok: 2.5, outputPerMTok: 10 })).toBe(0.09096);
  });

  it('reserves the prompt at the cache-write price when writing to the cache costs more than plain input', () => {
    // 20,000 × 3.75 + 4,096 × 15 = 75,000 + 61,440 = 136,440 per 1M
    expect(worstCaseCostUsd(20_000, 4_096, sonnet)).toBe(0.13644);
  });

  it('reserves nothing for a request with no tokens', () => {
    expect(worstCaseCostUsd(0, 0, sonnet)).toBe(0);
  });
});
