import { Migration } from '@mikro-orm/migrations';

export class Migration0001IdentityAndOrganizations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table users (
        id uuid primary key,
        email text not null unique,
        name text not null,
        password_hash text null,
        created_at timestamptz not null
      );
      create table organizations (
        id uuid primary key,
        name text not null,
        created_at timestamptz not null
      );
      create table org_memberships (
        id uuid primary key,
        organization_id uuid not null references organizations(id) on delete cascade,
        user_id uuid not null references users(id) on delete cascade,
        role text not null check (role in ('owner', 'member')),
        created_at timestamptz not null,
        unique (organization_id, user_id)
      );
      create index org_memberships_user_idx on org_memberships(user_id);
      create table projects (
        id uuid primary key,
        organization_id uuid not null references organizations(id) on delete cascade,
        name text not null,
        description text null,
        created_at timestamptz not null,
        unique (organization_id, name)
      );
      create table project_memberships (
        id uuid primary key,
        project_id uuid not null references projects(id) on delete cascade,
        organization_id uuid not null references organizations(id) on delete cascade,
        user_id uuid not null references users(id) on delete cascade,
        role text not null check (role in ('admin', 'developer')),
        created_at timestamptz not null,
        unique (project_id, user_id)
      );
      create index project_memberships_user_idx on project_memberships(user_id);
      create table invitations (
        id uuid primary key,
        organization_id uuid not null references organizations(id) on delete cascade,
        email text not null,
        role text not null check (role in ('owner', 'member')),
        token_hash text not null unique,
        invited_by_user_id uuid not null references users(id) on delete cascade,
        expires_at timestamptz not null,
        accepted_at timestamptz null,
        created_at timestamptz not null
      );
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table invitations; drop table project_memberships; drop table projects; drop table org_memberships; drop table organizations; drop table users;');
  }
}
