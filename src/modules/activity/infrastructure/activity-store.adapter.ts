import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { ActivityQuery, ActivityRecord, ActivitySummary, Attempt } from '../domain/activity';
import { ActivityRowsRejected, ActivityStore } from '../application/ports/activity-store.port';

/** An SQL statement with `?` placeholders (knex), bound server-side. */
export type BoundSql = { sql: string; bindings: (string | number | boolean)[] };

/** Column → JSON type of the batch passed to `jsonb_to_recordset`, in table order. */
const INSERT_COLUMNS = [
  ['id', 'uuid'],
  ['request_id', 'text'],
  ['organization_id', 'uuid'],
  ['project_id', 'uuid'],
  ['api_key_id', 'uuid'],
  ['integration_id', 'uuid'],
  ['provider_slug', 'text'],
  ['provider', 'text'],
  ['credential_source', 'text'],
  ['requested_model', 'text'],
  ['served_model', 'text'],
  ['virtual_model', 'text'],
  ['endpoint', 'text'],
  ['stream', 'boolean'],
  ['status', 'text'],
  ['http_status', 'integer'],
  ['error_code', 'text'],
  ['error_message', 'text'],
  ['attempts', 'jsonb'],
  ['input_tokens', 'integer'],
  ['output_tokens', 'integer'],
  ['cached_tokens', 'integer'],
  ['cache_write_tokens', 'integer'],
  ['cost_usd', 'double precision'],
  ['latency_ms', 'integer'],
  ['ttfb_ms', 'integer'],
  ['created_at', 'timestamptz'],
] as const;

const COLUMN_LIST = INSERT_COLUMNS.map(([name]) => name).join(', ');

/**
 * The whole batch is one jsonb parameter expanded by `jsonb_to_recordset`: one statement and
 * one bind value whatever the batch size (no 65 535-parameter limit, no per-size statement).
 */
const INSERT_SQL = `insert into activity (${COLUMN_LIST}) select ${COLUMN_LIST} from jsonb_to_recordset(?::jsonb) as batch(${INSERT_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')})`;

const SUMMARY_COLUMNS = `${INSERT_COLUMNS.map(([name]) => name)
  .filter((name) => name !== 'attempts')
  .join(', ')}, jsonb_array_length(attempts) as attempt_count`;

const NEWEST_FIRST = 'order by created_at desc, id desc';

/** SQLSTATE classes where the rows themselves are at fault: 22 data exception, 23 integrity constraint violation. */
const REJECTED_ROW_CLASSES = ['22', '23'];

@Injectable()
export class MikroOrmActivityStore implements ActivityStore {
  constructor(private readonly orm: MikroORM) {}

  async insert(records: readonly ActivityRecord[]): Promise<void> {
    if (records.length === 0) return;
    const batch = serializeBatch(records);
    try {
      await this.orm.em.fork().getKnex().raw(INSERT_SQL, [batch]);
    } catch (error) {
      const message = withoutStatement(error);
      if (REJECTED_ROW_CLASSES.includes(sqlState(error).slice(0, 2))) throw new ActivityRowsRejected(message, { cause: error });
      throw new Error(message, { cause: error });
    }
  }

  async list(query: ActivityQuery): Promise<ActivitySummary[]> {
    const { sql, bindings } = listingSql(query);
    const result = await this.orm.em.fork().getKnex().raw<{ rows: Row[] }>(sql, bindings);
    return result.rows.map(toSummary);
  }

  async findById(id: string): Promise<ActivityRecord | null> {
    const result = await this.orm.em.fork().getKnex().raw<{ rows: Row[] }>('select * from activity where id = ?::uuid', [id]);
    const row = result.rows[0];
    return row ? toRecord(row) : null;
  }
}

/**
 * The listing statement. Every filter is an equality or range on one project, read in
 * (created_at desc, id desc) order from an index that ends with those columns, so a page
 * costs `limit` index entries plus the rows the non-indexed filters skip. The model filter
 * matches the requested or the served model: an OR over two columns would defeat the
 * ordered index scan, so it is the UNION of two ordered, limited scans (one per model index).
 */
export function listingSql(query: ActivityQuery): BoundSql {
  const bindings: BoundSql['bindings'] = [];
  const bind = (value: string | number, cast?: string): string => {
    bindings.push(value);
    return cast ? `?::${cast}` : '?';
  };
  const scan = (modelColumn?: 'requested_model' | 'served_model'): string => {
    const where = [`project_id = ${bind(query.projectId, 'uuid')}`];
    if (modelColumn && query.model !== undefined) where.push(`${modelColumn} = ${bind(query.model)}`);
    if (query.status !== undefined) where.push(`status = ${bind(query.status)}`);
    if (query.apiKeyId !== undefined) where.push(`api_key_id = ${bind(query.apiKeyId, 'uuid')}`);
    if (query.providerSlug !== undefined) where.push(`provider_slug = ${bind(query.providerSlug)}`);
    if (query.source !== undefined) where.push(`credential_source = ${bind(query.source)}`);
    if (query.requestId !== undefined) where.push(`request_id = ${bind(query.requestId)}`);
    if (query.from !== undefined) where.push(`created_at >= ${bind(query.from.toISOString(), 'timestamptz')}`);
    if (query.to !== undefined) where.push(`created_at < ${bind(query.to.toISOString(), 'timestamptz')}`);
    if (query.after !== undefined) {
      where.push(`(created_at, id) < (${bind(query.after.createdAt.toISOString(), 'timestamptz')}, ${bind(query.after.id, 'uuid')})`);
    }
    return `select ${SUMMARY_COLUMNS} from activity where ${where.join(' and ')} ${NEWEST_FIRST} limit ${bind(query.limit)}`;
  };
  if (query.model === undefined) return { sql: scan(), bindings };
  const sql = `select * from ((${scan('requested_model')}) union (${scan('served_model')})) as page ${NEWEST_FIRST} limit ${bind(query.limit)}`;
  return { sql, bindings };
}

type Row = {
  id: string;
  request_id: string;
  organization_id: string;
  project_id: string;
  api_key_id: string;
  integration_id: string | null;
  provider_slug: string | null;
  provider: string | null;
  credential_source: ActivityRecord['credentialSource'];
  requested_model: string;
  served_model: string | null;
  virtual_model: string | null;
  endpoint: string;
  stream: boolean;
  status: ActivityRecord['status'];
  http_status: number;
  error_code: string | null;
  error_message: string | null;
  attempts?: Attempt[];
  attempt_count?: number;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  cache_write_tokens: number;
  cost_usd: number | null;
  latency_ms: number;
  ttfb_ms: number | null;
  /** MikroORM's pg setup returns timestamps as PostgreSQL text (`2026-11-25 10:00:00.123+00`). */
  created_at: string | Date;
};

type InsertRow = Omit<Row, 'attempt_count' | 'created_at'> & { created_at: string };

/**
 * The batch as JSON. Counters are rounded (an integer column refuses 12.5), NUL characters
 * removed (PostgreSQL text cannot hold them); a record that cannot be serialized at all is
 * reported as refused, so the writer isolates it instead of retrying forever.
 */
function serializeBatch(records: readonly ActivityRecord[]): string {
  const rows = records.map((record) => {
    try {
      return toInsertRow(record);
    } catch (error) {
      throw new ActivityRowsRejected(`request ${record.requestId}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  });
  return JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'string' ? value.replaceAll('\u0000', '') : value));
}

function toInsertRow(r: ActivityRecord): InsertRow {
  return {
    id: r.id,
    request_id: r.requestId,
    organization_id: r.organizationId,
    project_id: r.projectId,
    api_key_id: r.apiKeyId,
    integration_id: r.integrationId,
    provider_slug: r.providerSlug,
    provider: r.provider,
    credential_source: r.credentialSource,
    requested_model: r.requestedModel,
    served_model: r.servedModel,
    virtual_model: r.virtualModel,
    endpoint: r.endpoint,
    stream: r.stream,
    status: r.status,
    http_status: Math.round(r.httpStatus),
    error_code: r.errorCode,
    error_message: r.errorMessage,
    attempts: r.attempts,
    input_tokens: Math.round(r.inputTokens),
    output_tokens: Math.round(r.outputTokens),
    cached_tokens: Math.round(r.cachedTokens),
    cache_write_tokens: Math.round(r.cacheWriteTokens),
    cost_usd: r.costUsd !== null && Number.isFinite(r.costUsd) ? r.costUsd : null,
    latency_ms: Math.round(r.latencyMs),
    ttfb_ms: r.ttfbMs === null ? null : Math.round(r.ttfbMs),
    created_at: r.createdAt.toISOString(),
  };
}

function toSummary(row: Row): ActivitySummary {
  const { attempts: _attempts, ...record } = toRecord(row);
  return { ...record, attemptCount: row.attempt_count ?? 0 };
}

function toRecord(row: Row): ActivityRecord {
  return {
    id: row.id,
    requestId: row.request_id,
    organizationId: row.organization_id,
    projectId: row.project_id,
    apiKeyId: row.api_key_id,
    integrationId: row.integration_id,
    providerSlug: row.provider_slug,
    provider: row.provider,
    credentialSource: row.credential_source,
    requestedModel: row.requested_model,
    servedModel: row.served_model,
    virtualModel: row.virtual_model,
    endpoint: row.endpoint,
    stream: row.stream,
    status: row.status,
    httpStatus: row.http_status,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    attempts: row.attempts ?? [],
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cachedTokens: row.cached_tokens,
    cacheWriteTokens: row.cache_write_tokens,
    costUsd: row.cost_usd,
    latencyMs: row.latency_ms,
    ttfbMs: row.ttfb_ms,
    createdAt: toDate(row.created_at),
  };
}

function toDate(value: string | Date): Date {
  if (value instanceof Date) return value;
  return new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
}

/** knex prefixes the database's message with the statement (`insert into … - relation "activity" does not exist`); keep the message. */
function withoutStatement(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const prefix = `${INSERT_SQL.replace('?', '$1')} - `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

function sqlState(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : '';
}
