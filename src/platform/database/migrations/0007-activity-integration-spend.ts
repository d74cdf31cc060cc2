import { Migration } from '@mikro-orm/migrations';

/**
 * Budgets reconcile an integration's running spend from the activity log (its BYOK cost since the
 * start of the UTC month). Partial on served rows, with the cost included, so the sum is read from
 * the index alone (an index-only scan once the visibility map is current).
 */
export class Migration0007ActivityIntegrationSpend extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index activity_integration_created_idx on activity (integration_id, created_at) include (cost_usd, credential_source) where integration_id is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists activity_integration_created_idx;');
  }
}
