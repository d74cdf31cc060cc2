/**
 * Integration budgets (DESIGN §7): hard caps on an integration's spend per UTC day and per UTC
 * calendar month. Amounts are kept as whole nano-dollars so that sums are exact, in memory and in
 * Redis alike.
 */

export type BudgetWindow = 'daily' | 'monthly';

export type BudgetLimits = { readonly dailyUsd: number | null; readonly monthlyUsd: number | null };

/** The windows a moment falls in: `2026-11-25` and `2026-11` (UTC). */
export type BudgetPeriod = { readonly day: string; readonly month: string };

const NANOS_PER_USD = 1e9;

/** How long a reservation is held if its request never settles (a crashed instance). */
export const RESERVATION_TTL_MS = 60 * 60 * 1000;

export function periodOf(at: number): BudgetPeriod {
  const iso = new Date(at).toISOString();
  return { day: iso.slice(0, 10), month: iso.slice(0, 7) };
}

/** When the window that `at` falls in ends (and the next one starts). */
export function windowEnd(window: BudgetWindow, at: number): Date {
  const d = new Date(at);
  return window === 'daily'
    ? new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1))
    : new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
}

/** When the window that `at` falls in started. */
export function windowStart(window: BudgetWindow, at: number): Date {
  const d = new Date(at);
  return window === 'daily' ? new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())) : new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
}

/** Reservations round up, so that a reservation is never less than what it stands for. */
export function nanosUp(usd: number): number {
  return Math.max(0, Math.ceil(usd * NANOS_PER_USD - 1e-6));
}

/** Settled costs round to nearest (costs are already rounded to 1e-9 USD). */
export function nanos(usd: number): number {
  return Math.max(0, Math.round(usd * NANOS_PER_USD));
}

export function usd(nanoAmount: number): number {
  return nanoAmount / NANOS_PER_USD;
}

export function hasBudget(limits: BudgetLimits): boolean {
  return limits.dailyUsd !== null || limits.monthlyUsd !== null;
}

/** Tokens counted for each image, audio or file part of a request on top of its bytes: the providers bill such parts by size, not by the length of their reference. */
const TOKENS_PER_MEDIA_PART = 2_000;
/** Output allowance when neither the request nor the catalog states one. */
export const DEFAULT_OUTPUT_ALLOWANCE = 32_768;
const MEDIA_TYPES = new Set(['image', 'image_url', 'input_audio', 'audio', 'document', 'file', 'input_image', 'input_file']);

/**
 * An upper bound of a request's input tokens: the UTF-8 size of its body (a token stands for at
 * least one byte of text, and the JSON around the text more than covers the per-message tokens),
 * plus an allowance for every media part. Base64 media is already counted by its bytes.
 */
export function inputTokensUpperBound(body: Record<string, unknown>): number {
  return Buffer.byteLength(JSON.stringify(body), 'utf8') + mediaParts(body.messages) * TOKENS_PER_MEDIA_PART;
}

/**
 * The output allowance: what the request asks for (`max_tokens`, `max_completion_tokens`, times `n`
 * completions), else the model's output limit from the catalog, else {@link DEFAULT_OUTPUT_ALLOWANCE}.
 */
export function outputTokensUpperBound(body: Record<string, unknown>, modelOutputLimit: number | undefined): number {
  const asked = positive(body.max_completion_tokens) ?? positive(body.max_tokens);
  const choices = positive(body.n) ?? 1;
  return (asked ?? modelOutputLimit ?? DEFAULT_OUTPUT_ALLOWANCE) * choices;
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : undefined;
}

function mediaParts(messages: unknown): number {
  if (!Array.isArray(messages)) return 0;
  let count = 0;
  for (const message of messages) {
    const content = (message as { content?: unknown } | null)?.content;
    if (!Array.isArray(content)) continue;
    for (const part of content) {
      const type = (part as { type?: unknown } | null)?.type;
      if (typeof type === 'string' && MEDIA_TYPES.has(type)) count += 1;
      // Anthropic tool results may carry images of their own.
      const inner = (part as { content?: unknown } | null)?.content;
      if (Array.isArray(inner)) count += mediaParts([{ content: inner }]);
    }
  }
  return count;
}
