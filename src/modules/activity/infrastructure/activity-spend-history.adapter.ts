import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { SpendHistory } from '../../routing/application/ports/spend-history.port';

/**
 * An integration's recorded spend since the start of a day and of a month, for the budgets'
 * reconciliation: `activity_integration_created_idx` (migration 0007) makes it a range of one
 * integration's rows.
 */
@Injectable()
export class ActivitySpendHistory implements SpendHistory {
  constructor(private readonly orm: MikroORM) {}

  async spentSince(integrationId: string, dayStart: Date, monthStart: Date): Promise<{ dailyUsd: number; monthlyUsd: number }> {
    const from = dayStart < monthStart ? dayStart : monthStart;
    const result = await this.orm.em
      .fork()
      .getKnex()
      .raw<{ rows: { daily: number | string | null; monthly: number | string | null }[] }>(
        `select coalesce(sum(cost_usd) filter (where created_at >= ?), 0) as daily,
                coalesce(sum(cost_usd) filter (where created_at >= ?), 0) as monthly
           from activity
          where integration_id = ?::uuid and credential_source = 'byok' and created_at >= ?`,
        [dayStart.toISOString(), monthStart.toISOString(), integrationId, from.toISOString()],
      );
    const row = result.rows[0];
    return { dailyUsd: Number(row?.daily ?? 0), monthlyUsd: Number(row?.monthly ?? 0) };
  }
}
