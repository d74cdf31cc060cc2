import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { CredentialSource } from '../domain/activity';
import { NO_USAGE, type UsageCounts, type UsageGroup, type UsageGroupBy, type UsageKey } from '../domain/usage';
import type { UsageAggregate, UsageStore, UsageStoreQuery } from '../application/ports/usage-store.port';
import type { BoundSql } from './activity-store.adapter';

/**
 * The sums, in SQL. Spend is a sum of `double precision` rounded to 6 decimals as `numeric`
 * (exact), so float noise of the summing order never shows; a null cost counts as 0.
 */
const METRICS = `
  count(*) as requests,
  count(*) filter (where credential_source = 'byok') as byok_requests,
  count(*) filter (where credential_source = 'platform') as platform_requests,
  count(*) filter (where status = 'error') as error_requests,
  count(*) filter (where status = 'cancelled') as cancelled_requests,
  coalesce(round((sum(cost_usd) filter (where credential_source = 'byok'))::numeric, 6), 0) as byok_spend_usd,
  coalesce(round((sum(cost_usd) filter (where credential_source = 'platform'))::numeric, 6), 0) as platform_spend_usd,
  coalesce(sum(input_tokens), 0) as input_tokens,
  coalesce(sum(output_tokens), 0) as output_tokens,
  coalesce(sum(cached_tokens), 0) as cached_tokens,
  coalesce(sum(cache_write_tokens), 0) as cache_write_tokens`;

/** Each grouping's key columns: output name → expression (fixed SQL, never user input). */
const GROUP_KEYS: Record<UsageGroupBy, readonly (readonly [string, string])[]> = {
  model: [
    ['provider', 'provider'],
    ['model', 'coalesce(served_model, requested_model)'],
  ],
  integration: [
    ['integration_id', 'integration_id'],
    ['provider_slug', 'provider_slug'],
  ],
  project: [['project_id', 'project_id']],
  source: [['credential_source', 'credential_source']],
  day: [['day', `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`]],
};

@Injectable()
export class MikroOrmUsageStore implements UsageStore {
  constructor(private readonly orm: MikroORM) {}

  async usage(query: UsageStoreQuery): Promise<UsageAggregate> {
    const { sql, bindings } = usageSql(query);
    const result = await this.orm.em.fork().getKnex().raw<{ rows: Row[] }>(sql, bindings);
    const { groupBy } = query;
    const totals = result.rows.find((row) => row.is_total);
    const groups = groupBy === null ? [] : result.rows.filter((row) => !row.is_total).map((row) => toGroup(groupBy, row));
    return { totals: totals ? toCounts(totals) : NO_USAGE, groups };
  }
}

/**
 * One statement over the scope's index (`organization_id` or `project_id`, then `created_at`):
 * grouped, the grouping sets give the groups and the grand total in the same scan; the total
 * row is told apart by `grouping()` (its key columns are null, as a group's can be).
 */
export function usageSql(query: UsageStoreQuery): BoundSql {
  const scope =
    query.scope.kind === 'organization' ? { column: 'organization_id', id: query.scope.organizationId } : { column: 'project_id', id: query.scope.projectId };
  const where = `${scope.column} = ?::uuid and created_at >= ?::timestamptz and created_at < ?::timestamptz`;
  const bindings = [scope.id, query.from.toISOString(), query.to.toISOString()];
  if (query.groupBy === null) return { sql: `select true as is_total, ${METRICS} from activity where ${where}`, bindings };
  const keys = GROUP_KEYS[query.groupBy];
  const expressions = keys.map(([, expression]) => expression).join(', ');
  const columns = keys.map(([name, expression]) => `${expression} as ${name}`).join(', ');
  const sql = `select ${columns}, grouping(${expressions}) <> 0 as is_total, ${METRICS}
    from activity where ${where}
    group by grouping sets ((${expressions}), ())`;
  return { sql, bindings };
}

/** PostgreSQL `count`/`sum` of integers are bigint and `round(numeric)` is numeric: the driver returns them as strings. */
type Numeric = string | number;

type Row = {
  is_total: boolean;
  requests: Numeric;
  byok_requests: Numeric;
  platform_requests: Numeric;
  error_requests: Numeric;
  cancelled_requests: Numeric;
  byok_spend_usd: Numeric;
  platform_spend_usd: Numeric;
  input_tokens: Numeric;
  output_tokens: Numeric;
  cached_tokens: Numeric;
  cache_write_tokens: Numeric;
  provider?: string | null;
  model?: string;
  integration_id?: string | null;
  provider_slug?: string | null;
  project_id?: string;
  credential_source?: CredentialSource | null;
  day?: string;
};

function toGroup(groupBy: UsageGroupBy, row: Row): UsageGroup {
  return { key: toKey(groupBy, row), counts: toCounts(row) };
}

function toKey(groupBy: UsageGroupBy, row: Row): UsageKey {
  switch (groupBy) {
    case 'model':
      return { provider: row.provider ?? null, model: row.model ?? '' };
    case 'integration':
      return { integrationId: row.integration_id ?? null, providerSlug: row.provider_slug ?? null };
    case 'project':
      return { projectId: row.project_id ?? '' };
    case 'source':
      return { credentialSource: row.credential_source ?? null };
    case 'day':
      return { day: row.day ?? '' };
  }
}

function toCounts(row: Row): UsageCounts {
  return {
    requests: Number(row.requests),
    byokRequests: Number(row.byok_requests),
    platformRequests: Number(row.platform_requests),
    errorRequests: Number(row.error_requests),
    cancelledRequests: Number(row.cancelled_requests),
    byokSpendUsd: Number(row.byok_spend_usd),
    platformSpendUsd: Number(row.platform_spend_usd),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    cachedTokens: Number(row.cached_tokens),
    cacheWriteTokens: Number(row.cache_write_tokens),
  };
}
