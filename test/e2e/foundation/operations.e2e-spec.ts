import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startTestApp, type TestApp } from '../../support/test-app';
import { bearer, signUp } from '../../support/world';

/** What an operator relies on: health checks, the API documentation, request ids and logs without secrets. */

type SchemaProperty = { type?: string; nullable?: boolean; example?: unknown };
type OpenApiDocument = {
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, { properties?: Record<string, SchemaProperty> }> };
};

function committedDocument(): OpenApiDocument {
  return JSON.parse(readFileSync(resolve(__dirname, '../../../openapi/openapi.json'), 'utf8')) as OpenApiDocument;
}

// Booting the app takes ~3 s, more on a busy 2-core machine; the 5 s default is too tight for the hooks.
jest.setTimeout(30_000);

describe('operations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${t.baseUrl}${path}`, { headers });

  it('/health/live answers 200', async () => {
    const res = await get('/health/live');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/health/ready answers 200 with the database up and every migration applied', async () => {
    const res = await get('/health/ready');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, migrations: { status: 'up' } } });
  });

  it('/docs serves the Swagger UI', async () => {
    const res = await get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('swagger-ui');
  });

  it('/docs-json serves the same operations as the committed openapi/openapi.json', async () => {
    const res = await get('/docs-json');
    expect(res.status).toBe(200);
    const served = (await res.json()) as OpenApiDocument;
    const committed = committedDocument();
    // When this fails after a route change, run `npm run openapi` and commit the result.
    expect(operationsOf(served)).toEqual(operationsOf(committed));
  });

  it('every documented property has the type its example shows, so generated clients can send it', () => {
    // A `string | null` or `number | null` DTO field without an explicit `type` is reflected as an object.
    const mismatches: string[] = [];
    for (const [schemaName, schema] of Object.entries(committedDocument().components?.schemas ?? {})) {
      for (const [property, spec] of Object.entries(schema.properties ?? {})) {
        if (spec.type === undefined || !('example' in spec)) continue;
        const shown = jsonType(spec.example);
        const fits = shown === spec.type || (spec.type === 'number' && shown === 'integer') || (shown === 'null' && spec.nullable === true);
        if (!fits) mismatches.push(`${schemaName}.${property}: declared ${spec.type}, example is ${shown}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it.each([
    ['a health check', 'GET', '/health/live', undefined],
    ['a call without a token (401)', 'GET', '/api/me', undefined],
    ['an unknown route (404)', 'GET', '/api/nowhere', undefined],
    ['an invalid body (400)', 'POST', '/api/auth/login', '{}'],
    ['malformed JSON (400)', 'POST', '/api/auth/login', '{'],
    ['the API documentation', 'GET', '/docs-json', undefined],
  ] as const)('%s carries an x-request-id, and the caller’s own id is echoed', async (_what, method, path, body) => {
    const generated = await fetch(`${t.baseUrl}${path}`, { method, body, headers: { 'content-type': 'application/json' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9._:-]{8,}$/);

    const mine = `trace-${randomBytes(6).toString('hex')}`;
    const echoed = await fetch(`${t.baseUrl}${path}`, { method, body, headers: { 'content-type': 'application/json', 'x-request-id': mine } });
    expect(echoed.headers.get('x-request-id')).toBe(mine);
  });

  it('a problem response names the request id it was logged under', async () => {
    const mine = `trace-${randomBytes(6).toString('hex')}`;
    const res = await get('/api/me', { 'x-request-id': mine });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ requestId: mine });
  });

  it('a caller’s x-request-id that is not a plain token is replaced, not echoed', async () => {
    const hostile = `x`.repeat(300);
    const res = await get('/api/me', { 'x-request-id': hostile });
    expect(res.headers.get('x-request-id')).not.toBe(hostile);
    expect(res.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
  });

  it('every log line is JSON, and a request is logged with its request id', async () => {
    const mine = `trace-${randomBytes(6).toString('hex')}`;
    const owner = await signUp(t, 'logged');
    await get('/api/me', { ...bearer(owner.token).headers, 'x-request-id': mine });
    await waitFor(() => t.logs().includes(mine));

    const lines = t.logs().split('\n').filter((line) => line.trim() !== '');
    const unparsable = lines.filter((line) => !isJsonObject(line));
    expect(unparsable).toEqual([]);
    const entry = lines.map((line) => JSON.parse(line) as { req?: { id?: string; method?: string; url?: string }; res?: { statusCode?: number } }).find((e) => e.req?.id === mine);
    expect(entry).toMatchObject({ req: { id: mine, method: 'GET', url: '/api/me' }, res: { statusCode: 200 } });
  });

  it('authorization headers and tokens never appear in the logs', async () => {
    const fake = `kwtest-canary-${randomBytes(12).toString('hex')}`;
    const apiKey = `kw-canary-${randomBytes(12).toString('hex')}`;
    const owner = await signUp(t, 'canary');
    const mine = `trace-${randomBytes(6).toString('hex')}`;
    await get('/api/me', { authorization: `Bearer ${fake}`, 'x-api-key': apiKey });
    await get('/api/me', { ...bearer(owner.token).headers, 'x-request-id': mine });
    await waitFor(() => t.logs().includes(mine));

    const logs = t.logs();
    expect(logs).not.toContain(fake);
    expect(logs).not.toContain(apiKey);
    expect(logs).not.toContain(owner.token);
    expect(logs).not.toContain(owner.token.split('.')[2]);
  });
});

function operationsOf(document: OpenApiDocument): Record<string, string[]> {
  return Object.fromEntries(Object.entries(document.paths).map(([path, item]) => [path, Object.keys(item).sort()]));
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function isJsonObject(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Log lines are written asynchronously after the response; wait briefly for the one we look for. */
async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the log line');
    await new Promise((r) => setTimeout(r, 20));
  }
}
