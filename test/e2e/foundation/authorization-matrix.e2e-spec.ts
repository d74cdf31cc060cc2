import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { POLICY, type Action, type EffectiveRole, type Rule } from '../../../src/platform/auth/policy';
import { COLLECTION_KINDS, ORGANIZATION_WIDE_KINDS, PATH_PARAMS, RESOURCE_FIXTURES, type ResourceFixture } from '../../support/resource-fixtures';
import { startTestApp, type TestApp } from '../../support/test-app';
import { buildWorld, type World } from '../../support/world';

/**
 * Every operation of the committed OpenAPI document, called by every kind of actor, against
 * the POLICY table: a route added without an access rule, or whose guard disagrees with the
 * table, fails here.
 */

type Policy = { public: true } | { authenticated: true } | { action: string; resource: string; param: string };
type Operation = { method: string; path: string; name: string; policy?: Policy; hasBody: boolean; pathParams: string[] };
type ActorName = 'owner' | 'admin' | 'developer' | 'member' | 'outsider';
type Outcome = 'allowed' | 'forbidden' | 'not-found';

const ACTORS: readonly ActorName[] = ['owner', 'admin', 'developer', 'member', 'outsider'];
const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace'];
const PROBE_BODY = JSON.stringify({ __probe: true });
const GUARD_FORBIDDEN = 'urn:keyway:problem:forbidden';
const GUARD_NOT_FOUND = 'urn:keyway:problem:not-found';

const WHO: Record<ActorName, string> = {
  owner: 'the organization owner',
  admin: 'a project admin',
  developer: 'a project developer',
  member: 'an organization member without a project role',
  outsider: 'someone from another organization',
};

const OPERATIONS = readOperations(resolve(__dirname, '../../../openapi/openapi.json'));

// Booting the app takes ~3 s, more on a busy 2-core machine; the 5 s default is too tight for the hooks.
jest.setTimeout(30_000);

describe('authorization matrix (openapi/openapi.json × POLICY)', () => {
  let t: TestApp;
  let shared: World;
  const sharedResources = new Map<string, Promise<ResourceFixture>>();

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'warn' });
    shared = await buildWorld(t);
  });
  afterAll(() => t?.close());

  /** Resources of the shared world are created once per kind. */
  function sharedResource(kind: string): Promise<ResourceFixture> {
    let resource = sharedResources.get(kind);
    if (!resource) {
      resource = fixtureFor(kind)(t, shared);
      sharedResources.set(kind, resource);
    }
    return resource;
  }

  it('every operation declares who may call it (x-keyway-policy)', () => {
    const undeclared = OPERATIONS.filter((op) => !op.policy).map((op) => `${op.name} has no x-keyway-policy: add @Public(), @Authenticated() or @Authorize(...)`);
    expect(undeclared).toEqual([]);
  });

  it('every authorized operation names a known action, a resource kind with a fixture and one of its path parameters', () => {
    const problems: string[] = [];
    for (const op of OPERATIONS) {
      if (!op.policy || !('action' in op.policy)) continue;
      const { action, resource, param } = op.policy;
      if (!(action in POLICY)) problems.push(`${op.name}: action "${action}" is not in POLICY (src/platform/auth/policy.ts)`);
      if (!(resource in RESOURCE_FIXTURES)) problems.push(`${op.name}: ${missingFixture(resource)}`);
      if (!op.pathParams.includes(param)) problems.push(`${op.name}: resource parameter "${param}" is not a path parameter`);
      for (const other of op.pathParams.filter((p) => p !== param && !(p in PATH_PARAMS))) problems.push(`${op.name}: ${missingParam(other)}`);
    }
    expect(problems).toEqual([]);
  });

  const guarded = OPERATIONS.filter((op) => op.policy && !('public' in op.policy));

  describe.each(guarded.map((op) => [op.name, op] as const))('%s', (_name, op) => {
    it('is refused without a token (401)', async () => {
      // The token is checked before the resource is looked up, so any id will do when the kind has no fixture yet.
      const kind = op.policy && 'action' in op.policy ? op.policy.resource : undefined;
      const resource = kind === undefined ? undefined : kind in RESOURCE_FIXTURES ? await sharedResource(kind) : { id: randomUUID() };
      const res = await call(t, op, shared, resource, undefined);
      expect({ status: res.status, type: res.problem?.type, contentType: res.contentType }).toEqual({
        status: 401,
        type: 'urn:keyway:problem:unauthenticated',
        contentType: expect.stringContaining('application/problem+json'),
      });
    });

    if (!isCheckable(op)) return;
    const { action, resource: kind } = op.policy;
    const mutatesWithoutBody = op.method !== 'GET' && op.method !== 'HEAD' && !op.hasBody;

    it.each(ACTORS.map((actor) => [title(action, kind, actor), actor] as const))('%s', async (_title, actor) => {
      const expected = expectedOutcome(action, kind, actor);
      // An allowed bodiless mutation really happens: on an object of its own, or, when the object is the
      // organization or project the shared world is made of, in a world of its own.
      const mutates = mutatesWithoutBody && expected === 'allowed';
      const world = mutates && COLLECTION_KINDS.has(kind) ? await buildWorld(t) : shared;
      const resource = mutates ? await fixtureFor(kind)(t, world) : await sharedResource(kind);
      if (ruleFor(action, kind, actor) === 'own' && !COLLECTION_KINDS.has(kind)) assertCreatedByAnother(kind, resource, world[actor].userId);
      const res = await call(t, op, world, resource, world[actor].token);
      const seen = { status: res.status, type: res.problem?.type, contentType: res.contentType };

      if (expected === 'forbidden') {
        expect(seen).toEqual({ status: 403, type: GUARD_FORBIDDEN, contentType: expect.stringContaining('application/problem+json') });
      } else if (expected === 'not-found') {
        expect(seen).toEqual({ status: 404, type: GUARD_NOT_FOUND, contentType: expect.stringContaining('application/problem+json') });
      } else if (op.hasBody) {
        // The guard let the probe through; validation refused it before anything changed.
        expect({ ...seen, fields: res.problem?.errors?.map((e) => e.field) }).toEqual({
          status: 400,
          type: 'urn:keyway:problem:validation-failed',
          contentType: expect.stringContaining('application/problem+json'),
          fields: expect.arrayContaining(['__probe']),
        });
      } else {
        expect(seen.status).not.toBe(401);
        expect(seen.status).not.toBe(500);
        expect([GUARD_FORBIDDEN, GUARD_NOT_FOUND]).not.toContain(seen.type);
      }
    });
  });
});

type CheckableOperation = Operation & { policy: { action: Action; resource: string; param: string } };

/** Authorized operations whose action and kind are known; the declaration test above reports the others. */
function isCheckable(op: Operation): op is CheckableOperation {
  return !!op.policy && 'action' in op.policy && op.policy.action in POLICY && op.policy.resource in RESOURCE_FIXTURES;
}

/** The effective role of a world actor on a resource of `kind`; null for the outsider. */
function roleOf(actor: ActorName, kind: string): EffectiveRole | null {
  if (actor === 'outsider') return null;
  if (actor === 'owner') return 'owner';
  if (actor === 'member' || ORGANIZATION_WIDE_KINDS.has(kind)) return 'member';
  return actor;
}

function ruleFor(action: Action, kind: string, actor: ActorName): Rule | null {
  const role = roleOf(actor, kind);
  return role === null ? null : POLICY[action][role];
}

function title(action: Action, kind: string, actor: ActorName): string {
  const role = roleOf(actor, kind);
  const rule = ruleFor(action, kind, actor);
  if (role === null || rule === null) return `${WHO[actor]} gets 404, as if it did not exist`;
  const why = `(${action}: ${role} → ${rule})`;
  if (rule === 'deny') return `${WHO[actor]} is refused with 403 ${why}`;
  if (rule === 'own' && !COLLECTION_KINDS.has(kind)) return `${WHO[actor]} is refused with 403 on one someone else created ${why}`;
  return `${WHO[actor]} may ${why}`;
}

/**
 * What POLICY says for a world actor, worked out without `decide`: the owner acts as owner
 * everywhere; project admins and developers keep their role only on resources in scope of
 * their project; an outsider never learns the resource exists. `own` lets the actor in on
 * a collection (the path names the project); the fixtures' objects were created by someone
 * else, so on an object it is a 403.
 */
function expectedOutcome(action: Action, kind: string, actor: ActorName): Outcome {
  const rule = ruleFor(action, kind, actor);
  if (rule === null) return 'not-found';
  if (rule === 'deny') return 'forbidden';
  if (rule === 'own' && !COLLECTION_KINDS.has(kind)) return 'forbidden';
  return 'allowed';
}

function assertCreatedByAnother(kind: string, resource: ResourceFixture, actorId: string): void {
  if (resource.createdByUserId === undefined || resource.createdByUserId === actorId) {
    throw new Error(
      `the "${kind}" fixture in test/support/resource-fixtures.ts must create it as someone other than the actor checked for an \`own\` rule, and return createdByUserId`,
    );
  }
}

type CallResult = { status: number; contentType: string; problem?: { type?: string; errors?: { field: string }[] } };

async function call(t: TestApp, op: Operation, world: World, resource: ResourceFixture | undefined, token: string | undefined): Promise<CallResult> {
  const resourceParam = op.policy && 'param' in op.policy ? op.policy.param : undefined;
  const path = op.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    if (name === resourceParam && resource) return encodeURIComponent(resource.id);
    const value = PATH_PARAMS[name];
    if (!value) throw new Error(`${op.name}: ${missingParam(name)}`);
    return encodeURIComponent(value(world));
  });
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (op.hasBody) headers['content-type'] = 'application/json';
  const res = await fetch(`${t.baseUrl}${path}`, { method: op.method, headers, body: op.hasBody ? PROBE_BODY : undefined });
  const contentType = res.headers.get('content-type') ?? '';
  const text = await res.text();
  const problem = contentType.includes('json') && text ? (JSON.parse(text) as CallResult['problem']) : undefined;
  return { status: res.status, contentType, problem };
}

function fixtureFor(kind: string) {
  const fixture = RESOURCE_FIXTURES[kind];
  if (!fixture) throw new Error(missingFixture(kind));
  return fixture;
}

function missingFixture(kind: string): string {
  return `no fixture for resource kind "${kind}": add an entry to RESOURCE_FIXTURES in test/support/resource-fixtures.ts`;
}

function missingParam(name: string): string {
  return `no value for path parameter "${name}": add an entry to PATH_PARAMS in test/support/resource-fixtures.ts`;
}

type OpenApiOperation = { 'x-keyway-policy'?: Policy; requestBody?: unknown; parameters?: { name: string; in: string }[] };

function readOperations(file: string): Operation[] {
  const document = JSON.parse(readFileSync(file, 'utf8')) as { paths: Record<string, Record<string, OpenApiOperation>> };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const fromTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      operations.push({
        method: method.toUpperCase(),
        path,
        name: `${method.toUpperCase()} ${path}`,
        policy: operation['x-keyway-policy'],
        hasBody: operation.requestBody !== undefined,
        pathParams: [...new Set([...fromTemplate, ...declared])],
      });
    }
  }
  return operations;
}
