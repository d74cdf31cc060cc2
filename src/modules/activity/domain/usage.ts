import { ValidationFailed } from '../../../platform/errors/domain-error';
import type { CredentialSource } from './activity';

export const USAGE_GROUP_BYS = ['model', 'integration', 'project', 'source', 'day'] as const;
export type UsageGroupBy = (typeof USAGE_GROUP_BYS)[number];

/** How a row was paid for: `mixed` when both kinds of credential served it, null when none did. */
export type UsageSource = CredentialSource | 'mixed' | null;

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_USAGE_RANGE_DAYS = 30;
export const MAX_USAGE_RANGE_DAYS = 366;

/** `from` inclusive, `to` exclusive. */
export type UsageRange = { from: Date; to: Date };

/** The sums SQL computes over a set of activity records. Spend is in USD, null costs counted as 0. */
export type UsageCounts = {
  requests: number;
  byokRequests: number;
  platformRequests: number;
  errorRequests: number;
  cancelledRequests: number;
  /** Estimated: the provider bills the customer's own account. */
  byokSpendUsd: number;
  platformSpendUsd: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
};

export type UsageMetrics = UsageCounts & { errorRate: number };

/** The key of a row, by `groupBy`. */
export type UsageKeyOf = {
  /** `model` is the served model, or the requested one when nothing served it. */
  model: { provider: string | null; model: string };
  /** Platform-served rows: integrationId null, providerSlug `platform:<provider>`; unserved: both null. */
  integration: { integrationId: string | null; providerSlug: string | null };
  project: { projectId: string };
  source: { credentialSource: CredentialSource | null };
  /** UTC calendar day, `YYYY-MM-DD`. */
  day: { day: string };
};
export type UsageKey = UsageKeyOf[UsageGroupBy];

export type UsageGroup = { key: UsageKey; counts: UsageCounts };
export type UsageRow = { key: UsageKey; source: UsageSource; metrics: UsageMetrics };

export type UsageReport = UsageRange & { groupBy: UsageGroupBy | null; totals: UsageMetrics; rows: UsageRow[] };

export const NO_USAGE: UsageCounts = {
  requests: 0,
  byokRequests: 0,
  platformRequests: 0,
  errorRequests: 0,
  cancelledRequests: 0,
  byokSpendUsd: 0,
  platformSpendUsd: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedTokens: 0,
  cacheWriteTokens: 0,
};

/**
 * The range asked for, with its defaults: `to` now, `from` 30 days before `to`. Refuses an
 * empty or backwards range and one longer than 366 days (naming `from`).
 */
export function usageRange(asked: { from?: Date; to?: Date }, now: Date): UsageRange {
  const to = asked.to ?? now;
  const from = asked.from ?? new Date(to.getTime() - DEFAULT_USAGE_RANGE_DAYS * DAY_MS);
  if (from.getTime() >= to.getTime()) throw new ValidationFailed([{ field: 'from', message: 'must be earlier than to' }]);
  if (to.getTime() - from.getTime() > MAX_USAGE_RANGE_DAYS * DAY_MS) {
    throw new ValidationFailed([{ field: 'from', message: `must be at most ${MAX_USAGE_RANGE_DAYS} days before to` }]);
  }
  return { from, to };
}

/** `byok` or `platform` when every request naming a credential source names that one. */
export function sourceOf(counts: Pick<UsageCounts, 'byokRequests' | 'platformRequests'>): UsageSource {
  if (counts.byokRequests > 0) return counts.platformRequests > 0 ? 'mixed' : 'byok';
  return counts.platformRequests > 0 ? 'platform' : null;
}

export function withErrorRate(counts: UsageCounts): UsageMetrics {
  const errorRate = counts.requests === 0 ? 0 : Math.round((counts.errorRequests / counts.requests) * 10_000) / 10_000;
  return { ...counts, errorRate };
}

export function toUsageRow(group: UsageGroup): UsageRow {
  return { key: group.key, source: sourceOf(group.counts), metrics: withErrorRate(group.counts) };
}

/** Days in calendar order; any other grouping by spend (desc), then requests (desc), then key. */
export function orderUsageRows(groupBy: UsageGroupBy, rows: readonly UsageRow[]): UsageRow[] {
  const byKey = (a: UsageRow, b: UsageRow) => compareKeys(a.key, b.key);
  if (groupBy === 'day') return [...rows].sort(byKey);
  return [...rows].sort((a, b) => spend(b) - spend(a) || b.metrics.requests - a.metrics.requests || byKey(a, b));
}

function spend(row: UsageRow): number {
  return row.metrics.byokSpendUsd + row.metrics.platformSpendUsd;
}

/** Field by field, in the key's order; a null value after any other. */
function compareKeys(a: UsageKey, b: UsageKey): number {
  const left = Object.values(a) as (string | null)[];
  const right = Object.values(b) as (string | null)[];
  for (let i = 0; i < left.length; i++) {
    const x = left[i];
    const y = right[i];
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}
