import { Injectable } from '@nestjs/common';
import { orderUsageRows, toUsageRow, usageRange, withErrorRate, type UsageGroupBy, type UsageReport } from '../domain/usage';
import { UsageScope, UsageStore } from './ports/usage-store.port';

export type UsageRequest = { from?: Date; to?: Date; groupBy?: UsageGroupBy };

/** Usage and spend of an organization or a project; authorization is done by the policy guard. */
@Injectable()
export class UsageService {
  constructor(private readonly store: UsageStore) {}

  async ofOrganization(organizationId: string, request: UsageRequest, now = new Date()): Promise<UsageReport> {
    return this.report({ kind: 'organization', organizationId }, request, now);
  }

  async ofProject(projectId: string, request: UsageRequest, now = new Date()): Promise<UsageReport> {
    return this.report({ kind: 'project', projectId }, request, now);
  }

  private async report(scope: UsageScope, request: UsageRequest, now: Date): Promise<UsageReport> {
    const range = usageRange(request, now);
    const groupBy = request.groupBy ?? null;
    const { totals, groups } = await this.store.usage({ ...range, scope, groupBy });
    const rows = groupBy === null ? [] : orderUsageRows(groupBy, groups.map(toUsageRow));
    return { ...range, groupBy, totals: withErrorRate(totals), rows };
  }
}
