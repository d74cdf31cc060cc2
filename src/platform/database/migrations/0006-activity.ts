import { Migration } from '@mikro-orm/migrations';

/**
 * One row per proxied request (DESIGN §7), appended in batches by the activity writer.
 *
 * No foreign keys on purpose: rows arrive seconds after the request, in multi-row batches;
 * a project or API key deleted in between would make the whole batch fail forever, and the
 * history of spend must outlive the objects it was spent on.
 *
 * Indexes, sized for tens of millions of rows. The listing is always one project, newest
 * first, keyset-paginated on (created_at, id), so every index used by it ends with
 * `created_at desc, id desc` and the page is read in index order with no sort:
 * - `activity_project_created_idx`: the listing, and the filters whose values are common in
 *   a project (source, status `success`, provider slug, time range), applied while walking it;
 * - `activity_project_failure_idx` (partial, `status <> 'success'`): errors and cancellations
 *   are rare, so filtering for them on the project index would read most of it;
 * - `activity_project_api_key_idx`: a key can be a tiny share of its project's traffic. It
 *   leads with the project although a key belongs to one project: the planner takes the two
 *   columns as independent, underestimates the matches, and with an `(api_key_id, …)` index
 *   ANDs it with a bitmap of the whole project index (measured in the query-plan test);
 * - `activity_project_requested_model_idx` / `activity_project_served_model_idx`: the model
 *   filter matches either column; the listing merges two ordered scans (UNION), one per index;
 * - `activity_request_idx`: finding a request by the `x-request-id` the caller saw;
 * - `activity_organization_created_idx`: usage over an organization and a time range.
 */
export class Migration0006Activity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table activity (
        id uuid primary key,
        request_id text not null,
        organization_id uuid not null,
        project_id uuid not null,
        api_key_id uuid not null,
        integration_id uuid null,
        provider_slug text null,
        provider text null,
        credential_source text null check (credential_source in ('byok', 'platform')),
        requested_model text not null,
        served_model text null,
        virtual_model text null,
        endpoint text not null,
        stream boolean not null,
        status text not null check (status in ('success', 'error', 'cancelled')),
        http_status integer not null,
        error_code text null,
        error_message text null,
        attempts jsonb not null default '[]'::jsonb,
        input_tokens integer not null default 0,
        output_tokens integer not null default 0,
        cached_tokens integer not null default 0,
        cache_write_tokens integer not null default 0,
        cost_usd double precision null,
        latency_ms integer not null,
        ttfb_ms integer null,
        created_at timestamptz not null
      );
      create index activity_project_created_idx on activity (project_id, created_at desc, id desc);
      create index activity_project_failure_idx on activity (project_id, status, created_at desc, id desc) where status <> 'success';
      create index activity_project_api_key_idx on activity (project_id, api_key_id, created_at desc, id desc);
      create index activity_project_requested_model_idx on activity (project_id, requested_model, created_at desc, id desc);
      create index activity_project_served_model_idx on activity (project_id, served_model, created_at desc, id desc);
      create index activity_request_idx on activity (request_id);
      create index activity_organization_created_idx on activity (organization_id, created_at);
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table activity;');
  }
}
