import { Migration } from '@mikro-orm/migrations';

/**
 * Virtual models and gateway configs of projects. A virtual model refers to its gateway config by id
 * (a renamed config keeps its users); that reference is NO ACTION, checked at the end of the statement,
 * so deleting a project (or organization) cascades through both tables, while deleting a config a
 * virtual model still uses is refused.
 */
export class Migration0005RoutingPolicies extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table gateway_configs (
        id uuid primary key,
        organization_id uuid not null references organizations(id) on delete cascade,
        project_id uuid not null references projects(id) on delete cascade,
        name text not null check (name ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
        strategy text not null check (strategy in ('fallback', 'loadbalance')),
        targets jsonb null check (targets is null or jsonb_typeof(targets) = 'array'),
        retry jsonb not null check (jsonb_typeof(retry) = 'object'),
        timeout_ms integer not null check (timeout_ms between 1000 and 600000),
        created_at timestamptz not null,
        updated_at timestamptz not null,
        unique (project_id, name)
      );
      create table virtual_models (
        id uuid primary key,
        organization_id uuid not null references organizations(id) on delete cascade,
        project_id uuid not null references projects(id) on delete cascade,
        name text not null check (name ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
        description text null,
        targets jsonb not null check (jsonb_typeof(targets) = 'array'),
        config_id uuid null references gateway_configs(id),
        created_at timestamptz not null,
        updated_at timestamptz not null,
        unique (project_id, name)
      );
      create index virtual_models_config_idx on virtual_models(config_id) where config_id is not null;
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table virtual_models; drop table gateway_configs;');
  }
}
