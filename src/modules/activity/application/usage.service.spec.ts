import { NO_USAGE, type UsageGroup } from '../domain/usage';
import { UsageAggregate, UsageStore, UsageStoreQuery } from './ports/usage-store.port';
import { UsageService } from './usage.service';

/** Answers with fixed groups and remembers the queries. */
class FakeUsageStore implements UsageStore {
  readonly queries: UsageStoreQuery[] = [];
  constructor(private readonly groups: UsageGroup[] = []) {}
  async usage(query: UsageStoreQuery): Promise<UsageAggregate> {
    this.queries.push(query);
    return { totals: { ...NO_USAGE, requests: 4, errorRequests: 1 }, groups: query.groupBy === null ? [] : this.groups };
  }
}

const NOW = new Date('2026-03-31T12:00:00.000Z');
const ORG = '0b6f3c7e-2a41-4c1b-9f0e-6d5a4b3c2d1e';
const PROJECT = '5c2b1a0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d';

describe('UsageService', () => {
  it('asks the store for the organization over the last 30 days by default, with no breakdown', async () => {
    const store = new FakeUsageStore();
    const report = await new UsageService(store).ofOrganization(ORG, {}, NOW);
    expect(store.queries).toEqual([{ scope: { kind: 'organization', organizationId: ORG }, from: new Date('2026-03-01T12:00:00.000Z'), to: NOW, groupBy: null }]);
    expect(report).toEqual({ from: new Date('2026-03-01T12:00:00.000Z'), to: NOW, groupBy: null, totals: { ...NO_USAGE, requests: 4, errorRequests: 1, errorRate: 0.25 }, rows: [] });
  });

  it('a project breakdown carries each row’s source, in spend order', async () => {
    const store = new FakeUsageStore([
      { key: { credentialSource: 'platform' }, counts: { ...NO_USAGE, requests: 1, platformRequests: 1, platformSpendUsd: 0.1 } },
      { key: { credentialSource: 'byok' }, counts: { ...NO_USAGE, requests: 2, byokRequests: 2, byokSpendUsd: 0.3 } },
    ]);
    const report = await new UsageService(store).ofProject(PROJECT, { groupBy: 'source' }, NOW);
    expect(store.queries[0].scope).toEqual({ kind: 'project', projectId: PROJECT });
    expect(report.rows.map((r) => [r.key, r.source])).toEqual([
      [{ credentialSource: 'byok' }, 'byok'],
      [{ credentialSource: 'platform' }, 'platform'],
    ]);
  });

  it('a backwards range is refused before the store is asked', async () => {
    const store = new FakeUsageStore();
    await expect(new UsageService(store).ofProject(PROJECT, { from: NOW, to: new Date('2026-03-01T00:00:00Z') }, NOW)).rejects.toMatchObject({ errors: [{ field: 'from', message: 'must be earlier than to' }] });
    expect(store.queries).toEqual([]);
  });
});
