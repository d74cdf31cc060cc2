import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { Catalog, CatalogData, CatalogIdentity, catalogConsistencyProblems } from '../domain/catalog';
import { CatalogInvalid } from '../domain/catalog.errors';
import catalogSchema from '../data/catalog.schema.json';
// Imported rather than read by path so the compiler copies the data next to the compiled loader in dist/.
import shippedCatalog from '../data/catalog.json';

const SHIPPED_CATALOG_NAME = 'catalog.json';

let validateCatalog: ValidateFunction<CatalogData> | undefined;

/**
 * Loads and validates a catalog file: the shipped `data/catalog.json` by default. Throws
 * {@link CatalogInvalid} naming the file and every failing path when the schema or a cross-check fails.
 */
export function loadCatalog(path?: string): Catalog {
  if (path === undefined) return parseCatalog(shippedCatalog, SHIPPED_CATALOG_NAME);
  const name = basename(path);
  return parseCatalog(readJson(path, name), name);
}

/** Validates already-parsed catalog data; `source` names it in error messages. */
export function parseCatalog(raw: unknown, source: string): Catalog {
  const validate = catalogValidator();
  if (validate(raw)) {
    const problems = catalogConsistencyProblems(raw);
    if (problems.length > 0) throw new CatalogInvalid(source, problems);
    return new Catalog(raw);
  }
  throw new CatalogInvalid(source, [...describeSchemaErrors(validate.errors ?? []), ...catalogConsistencyProblems(identityOf(raw))]);
}

function readJson(path: string, name: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CatalogInvalid(name, [`cannot be read (${errorMessage(error)})`]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CatalogInvalid(name, [`is not JSON (${errorMessage(error)})`]);
  }
}

function catalogValidator(): ValidateFunction<CatalogData> {
  validateCatalog ??= new Ajv({ allErrors: true, verbose: true }).compile<CatalogData>(catalogSchema);
  return validateCatalog;
}

function describeSchemaErrors(errors: readonly ErrorObject[]): string[] {
  return [...new Set(errors.map(describeSchemaError))];
}

function describeSchemaError(error: ErrorObject): string {
  const path = error.instancePath === '' ? '/' : error.instancePath;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${path} has unknown property "${String(error.params['additionalProperty'])}"`;
    case 'required':
      return `${path} is missing "${String(error.params['missingProperty'])}"`;
    case 'enum':
      return `${path} must be one of the allowed values, not ${JSON.stringify(error.data)}`;
    default:
      return `${path} ${error.message ?? 'is invalid'}`;
  }
}

/**
 * The identifying fields of whatever entries are well-formed, so cross-check problems are reported
 * together with schema problems; malformed entries become holes the cross-checks skip.
 */
function identityOf(raw: unknown): CatalogIdentity {
  const root = isRecord(raw) ? raw : {};
  return {
    providers: arrayOf(root['providers']).map((entry) => (isRecord(entry) && typeof entry['id'] === 'string' ? { id: entry['id'] } : undefined)),
    models: arrayOf(root['models']).map((entry) => {
      if (!isRecord(entry)) return undefined;
      const { slug, provider, model } = entry;
      return typeof slug === 'string' && typeof provider === 'string' && typeof model === 'string' ? { slug, provider, model } : undefined;
    }),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrayOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
