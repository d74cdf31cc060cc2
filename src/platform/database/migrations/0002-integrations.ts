import { Migration } from '@mikro-orm/migrations';

export class Migration0002Integrations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table integrations (
        id uuid primary key,
        organization_id uuid not null references organizations(id) on delete cascade,
        name text not null,
        provider_slug text not null check (provider_slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
        provider text not null,
        description text null,
        project_scope jsonb not null,
        status text not null check (status in ('active', 'disabled')),
        credential jsonb not null,
        credential_summary jsonb not null,
        credential_version integer not null,
        custom_auth_headers jsonb null,
        custom_auth_header_names jsonb not null,
        options jsonb not null,
        provisioning jsonb not null,
        health jsonb not null,
        created_by_user_id uuid not null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        unique (organization_id, provider_slug)
      );
      create table audit_events (
        id uuid primary key,
        organization_id uuid not null references organizations(id) on delete cascade,
        actor_user_id uuid not null,
        action text not null,
        integration_id uuid not null,
        integration_slug text not null,
        details jsonb not null,
        ip text null,
        created_at timestamptz not null
      );
      create index audit_events_org_time_idx on audit_events(organization_id, created_at desc);
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table audit_events; drop table integrations;');
  }
}
