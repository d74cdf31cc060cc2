import { Migration } from '@mikro-orm/migrations';

export class Migration0004ApiKeys extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table api_keys (
        id uuid primary key,
        organization_id uuid not null references organizations(id) on delete cascade,
        project_id uuid not null references projects(id) on delete cascade,
        name text not null,
        prefix text not null unique,
        key_hash text not null,
        created_by_user_id uuid not null,
        expires_at timestamptz null,
        revoked_at timestamptz null,
        created_at timestamptz not null
      );
      create index api_keys_project_idx on api_keys(project_id, created_at desc);
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table api_keys;');
  }
}
