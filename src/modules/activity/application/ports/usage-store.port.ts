import type { UsageCounts, UsageGroup, UsageGroupBy, UsageRange } from '../../domain/usage';

/** Whose requests are summed: an organization's, or one project's. */
export type UsageScope = { kind: 'organization'; organizationId: string } | { kind: 'project'; projectId: string };

export type UsageStoreQuery = UsageRange & { scope: UsageScope; groupBy: UsageGroupBy | null };

/** `totals` over every request of the scope and range; `groups` empty when not grouped, in no particular order. */
export type UsageAggregate = { totals: UsageCounts; groups: UsageGroup[] };

/** Sums activity records over a time range (`from` inclusive, `to` exclusive). */
export abstract class UsageStore {
  abstract usage(query: UsageStoreQuery): Promise<UsageAggregate>;
}
