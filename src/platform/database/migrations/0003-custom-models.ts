import { Migration } from '@mikro-orm/migrations';

export class Migration0003CustomModels extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table custom_models (
        id uuid primary key,
        integration_id uuid not null references integrations(id) on delete cascade,
        organization_id uuid not null references organizations(id) on delete cascade,
        model_slug text not null check (model_slug ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$'),
        base_model text null,
        custom_host text null,
        input_per_mtok double precision not null check (input_per_mtok >= 0),
        output_per_mtok double precision not null check (output_per_mtok >= 0),
        additional_pricing jsonb null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        unique (integration_id, model_slug)
      );
      create index custom_models_organization_idx on custom_models(organization_id);
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table custom_models;');
  }
}
