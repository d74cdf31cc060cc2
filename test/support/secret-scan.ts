import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import type { TestApp } from './test-app';

/**
 * Looks for secrets where plaintext must never be (DESIGN §6): every text-like column of the
 * database, every file of the data folder, the app's logs, response bodies.
 *
 * Needles are labelled (`"anthropic-prod credential.apiKey" → "sk-ant-…"`) so that a hit names
 * which secret leaked and where. Each needle is also searched in its JSON-escaped form (a PEM's
 * newlines become `\n` inside a JSON document).
 */

export type Needles = Readonly<Record<string, string>>;
export type Hit = { needle: string; where: string };

/** The forms a value can take once written: as-is, and escaped inside a JSON string. */
function formsOf(value: string): string[] {
  const escaped = JSON.stringify(value).slice(1, -1);
  return escaped === value ? [value] : [value, escaped];
}

export function findInText(text: string, needles: Needles, where: string): Hit[] {
  return Object.entries(needles)
    .filter(([, value]) => formsOf(value).some((form) => text.includes(form)))
    .map(([needle]) => ({ needle, where }));
}

export function findInBytes(bytes: Buffer, needles: Needles, where: string): Hit[] {
  return Object.entries(needles)
    .filter(([, value]) => formsOf(value).some((form) => bytes.includes(Buffer.from(form, 'utf8'))))
    .map(([needle]) => ({ needle, where }));
}

export type DatabaseScan = { hits: Hit[]; /** `table.column` of every column read. */ columns: string[]; rows: number };

/** Column types whose content can hold text; each is read as text (`::text`, bytea through `encode(…, 'escape')`). */
const TEXT_LIKE_TYPES = ['text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'bytea', 'USER-DEFINED'];

/** Reads every text-like column of every table of the `public` schema (found through information_schema) and searches it. */
export async function scanDatabase(source: TestApp | MikroORM, needles: Needles): Promise<DatabaseScan> {
  const orm: MikroORM = source instanceof MikroORM ? source : source.app.get(MikroORM);
  const connection = orm.em.fork().getConnection();
  const columns = (await connection.execute(
    `select c.table_name, c.column_name, c.data_type
       from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.data_type in (${TEXT_LIKE_TYPES.map(() => '?').join(', ')})
      order by c.table_name, c.ordinal_position`,
    TEXT_LIKE_TYPES,
  )) as { table_name: string; column_name: string; data_type: string }[];

  const byTable = new Map<string, { column: string; type: string }[]>();
  for (const c of columns) byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), { column: c.column_name, type: c.data_type }]);

  const hits: Hit[] = [];
  let rows = 0;
  for (const [table, cols] of byTable) {
    const select = cols
      .map(({ column, type }, i) => `${type === 'bytea' ? `encode(${ident(column)}, 'escape')` : `${ident(column)}::text`} as c${i}`)
      .join(', ');
    const result = (await connection.execute(`select ${select} from ${ident(table)}`)) as Record<string, string | null>[];
    rows += result.length;
    for (const row of result) {
      cols.forEach(({ column }, i) => {
        const value = row[`c${i}`];
        if (value) hits.push(...findInText(value, needles, `${table}.${column}`));
      });
    }
  }
  return { hits: dedupe(hits), columns: columns.map((c) => `${c.table_name}.${c.column_name}`), rows };
}

export type DirectoryScan = { hits: Hit[]; files: number; bytes: number };

/** Reads every regular file under `dir`, recursively, as raw bytes, and searches it. */
export function scanDirectory(dir: string, needles: Needles): DirectoryScan {
  const hits: Hit[] = [];
  let files = 0;
  let bytes = 0;
  const walk = (path: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const content = readFileSync(full);
        files += 1;
        bytes += content.length;
        hits.push(...findInBytes(content, needles, relative(dir, full)));
      }
    }
  };
  walk(dir);
  return { hits, files, bytes };
}

/** Searches every log line the app wrote so far. */
export function scanLogs(t: TestApp, needles: Needles): Hit[] {
  return findInText(t.logs(), needles, 'logs');
}

/** Every substring of `secret` of `length` characters, as labelled needles (to catch a partial echo such as a key's tail). */
export function fragmentsOf(label: string, secret: string, length: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + length <= secret.length; i++) out[`${label}[${i}..${i + length}]`] = secret.slice(i, i + length);
  return out;
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function dedupe(hits: Hit[]): Hit[] {
  const seen = new Set<string>();
  return hits.filter((h) => {
    const key = `${h.needle}\u0000${h.where}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
