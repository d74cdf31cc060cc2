import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROVIDER_IDS } from '../domain/catalog';
import { CatalogInvalid } from '../domain/catalog.errors';
import { loadCatalog } from './catalog-loader';

type JsonObject = { [key: string]: unknown };

const shippedPath = join(__dirname, '..', 'data', 'catalog.json');

function shippedJson(): JsonObject & { models: JsonObject[]; providers: JsonObject[] } {
  return JSON.parse(readFileSync(shippedPath, 'utf8'));
}

describe('loadCatalog', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyway-catalog-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function writeCopy(data: unknown, name = 'catalog.json'): string {
    const path = join(dir, name);
    writeFileSync(path, typeof data === 'string' ? data : JSON.stringify(data));
    return path;
  }

  function failureOf(path: string): CatalogInvalid {
    try {
      loadCatalog(path);
    } catch (error) {
      if (error instanceof CatalogInvalid) return error;
      throw error;
    }
    throw new Error(`${path} loaded although it is broken`);
  }

  it('loads the shipped catalog with every provider and models for each', () => {
    const catalog = loadCatalog();
    expect(catalog.version).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    expect(catalog.providers().map((provider) => provider.id).sort()).toEqual([...PROVIDER_IDS].sort());
    for (const id of PROVIDER_IDS) expect(catalog.modelsOf(id).length).toBeGreaterThan(0);
    expect(catalog.models().length).toBeGreaterThanOrEqual(120);
  });

  it('loads the shipped file from an explicit path the same way', () => {
    expect(loadCatalog(shippedPath).models().length).toBe(loadCatalog().models().length);
  });

  it('carries the prices of well-known models', () => {
    const catalog = loadCatalog();
    expect(catalog.model('openai/gpt-4o')?.pricing).toEqual({ inputPerMTok: 2.5, outputPerMTok: 10, cachedInputPerMTok: 1.25 });
    expect(catalog.model('anthropic/claude-sonnet-4-5')?.pricing).toEqual({
      inputPerMTok: 3,
      outputPerMTok: 15,
      cachedInputPerMTok: 0.3,
      cacheWritePerMTok: 3.75,
    });
    expect(catalog.model('together-ai/meta-llama/Llama-3.3-70B-Instruct-Turbo')?.model).toBe('meta-llama/Llama-3.3-70B-Instruct-Turbo');
  });

  it('refuses a negative price, naming its path', () => {
    const data = shippedJson();
    const pricing = data.models[12]?.['pricing'] as JsonObject;
    pricing['inputPerMTok'] = -1;
    const error = failureOf(writeCopy(data));
    expect(error.message).toContain('catalog.json is invalid: ');
    expect(error.message).toContain('/models/12/pricing/inputPerMTok must be >= 0');
  });

  it('refuses a duplicate slug, naming it', () => {
    const data = shippedJson();
    data.models.push({ ...data.models[0] });
    const first = data.models[0] as { slug: string };
    expect(failureOf(writeCopy(data)).message).toContain(`duplicate slug ${first.slug}`);
  });

  it('refuses a model of an unknown provider', () => {
    const data = shippedJson();
    Object.assign(data.models[3] as JsonObject, { provider: 'acme', slug: 'acme/rocket-1', model: 'rocket-1' });
    const message = failureOf(writeCopy(data)).message;
    expect(message).toContain('/models/3/provider must be one of the allowed values, not "acme"');
    expect(message).toContain('/models/3/provider acme has no provider entry');
  });

  it('refuses an unknown property, naming it and its path', () => {
    const data = shippedJson();
    (data.models[5] as JsonObject)['contextWindw'] = 1000;
    expect(failureOf(writeCopy(data)).message).toContain('/models/5 has unknown property "contextWindw"');
  });

  it('refuses a slug that is not provider/model', () => {
    const data = shippedJson();
    const model = data.models[7] as { provider: string; model: string; slug: string };
    model.slug = `${model.provider}/something-else`;
    expect(failureOf(writeCopy(data)).message).toContain(`/models/7/slug must equal "${model.provider}/${model.model}"`);
  });

  it('reports every problem of a broken file in one message', () => {
    const data = shippedJson();
    ((data.models[1] as JsonObject)['pricing'] as JsonObject)['outputPerMTok'] = -2;
    data.models.push({ ...data.models[2] });
    const error = failureOf(writeCopy(data, 'broken.json'));
    expect(error.message).toMatch(/^broken\.json is invalid: .*\/models\/1\/pricing\/outputPerMTok must be >= 0; duplicate slug /);
    expect(error.problems).toHaveLength(2);
  });

  it('refuses a file that is not JSON', () => {
    expect(failureOf(writeCopy('{ "version": ')).message).toMatch(/^catalog\.json is invalid: is not JSON/);
  });

  it('refuses a file that cannot be read', () => {
    expect(failureOf(join(dir, 'missing.json')).message).toMatch(/^missing\.json is invalid: cannot be read/);
  });
});
