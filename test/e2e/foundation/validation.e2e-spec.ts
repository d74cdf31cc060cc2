import { startTestApp, type TestApp } from '../../support/test-app';
import { bearer, buildWorld, PASSWORD, uniqueEmail, type World } from '../../support/world';

/** Bad requests on real routes: always a problem+json 4xx that names what is wrong, and nothing changes. */

type Problem = { type: string; title: string; status: number; detail: string; requestId: string; errors?: { field: string; message: string }[] };
type Sent = { status: number; contentType: string; problem: Problem };

// Booting the app takes ~3 s, more on a busy 2-core machine; the 5 s default is too tight for the hooks.
jest.setTimeout(30_000);

describe('request validation', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'warn' });
    w = await buildWorld(t);
  });
  afterAll(() => t?.close());

  /** Sends `body` as-is (already serialized) so that malformed and oversized bodies reach the server untouched. */
  async function send(method: string, path: string, body: string | undefined, token?: string): Promise<Sent> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${t.baseUrl}${path}`, { method, headers, body });
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', problem: (await res.json()) as Problem };
  }

  const json = (value: unknown) => JSON.stringify(value);
  const projectsPath = () => `/api/organizations/${w.owner.organizationId}/projects`;
  const invitePath = () => `/api/organizations/${w.owner.organizationId}/members`;

  async function projectNames(): Promise<string[]> {
    const { data } = await t.api.GET('/api/organizations/{orgId}/projects', { params: { path: { orgId: w.owner.organizationId } }, ...bearer(w.owner.token) });
    return data!.map((p) => p.name).sort();
  }

  async function invitedEmails(): Promise<string[]> {
    const { data } = await t.api.GET('/api/organizations/{orgId}/invitations', { params: { path: { orgId: w.owner.organizationId } }, ...bearer(w.owner.token) });
    return data!.map((i) => i.email).sort();
  }

  async function orgRoles(): Promise<Record<string, string>> {
    const { data } = await t.api.GET('/api/organizations/{orgId}/members', { params: { path: { orgId: w.owner.organizationId } }, ...bearer(w.owner.token) });
    return Object.fromEntries(data!.map((m) => [m.userId, m.role]));
  }

  async function projectRoles(): Promise<Record<string, string>> {
    const { data } = await t.api.GET('/api/projects/{projectId}/members', { params: { path: { projectId: w.projectId } }, ...bearer(w.owner.token) });
    return Object.fromEntries(data!.map((m) => [m.userId, m.role]));
  }

  function expectValidationProblem(sent: Sent, fields: string[]): void {
    expect(sent.status).toBe(400);
    expect(sent.contentType).toContain('application/problem+json');
    expect(sent.problem).toMatchObject({ type: 'urn:keyway:problem:validation-failed', status: 400, requestId: expect.any(String) });
    expect(sent.problem.errors!.map((e) => e.field).sort()).toEqual([...fields].sort());
    for (const error of sent.problem.errors!) expect(error.message).toEqual(expect.any(String));
  }

  async function expectNoAccount(email: string): Promise<void> {
    const login = await t.api.POST('/api/auth/login', { body: { email, password: PASSWORD } });
    expect(login.response.status).toBe(401);
  }

  describe('signup', () => {
    it('fields of the wrong type are each named, and no account is created', async () => {
      const email = uniqueEmail('typed');
      const sent = await send('POST', '/api/auth/signup', json({ email, password: 123456789012345, name: ['Ada'], organizationName: { name: 'Engines' } }));
      expectValidationProblem(sent, ['password', 'name', 'organizationName']);
      await expectNoAccount(email);
    });

    it('missing fields are each named', async () => {
      const email = uniqueEmail('partial');
      const sent = await send('POST', '/api/auth/signup', json({ email }));
      expectValidationProblem(sent, ['password', 'name', 'organizationName']);
      await expectNoAccount(email);
    });

    it('an unknown field is named and refused, even when everything else is valid', async () => {
      const email = uniqueEmail('sneaky');
      const sent = await send('POST', '/api/auth/signup', json({ email, password: PASSWORD, name: 'Eve', organizationName: 'Eve Inc', role: 'admin' }));
      expectValidationProblem(sent, ['role']);
      expect(sent.problem.errors).toEqual([{ field: 'role', message: 'is not a known field' }]);
      await expectNoAccount(email);
    });

    it('malformed JSON is a 400 malformed-json problem, and no account is created', async () => {
      const email = uniqueEmail('broken');
      const sent = await send('POST', '/api/auth/signup', `{"email": "${email}", "password": "${PASSWORD}", "name": "Broken"`);
      expect(sent.status).toBe(400);
      expect(sent.contentType).toContain('application/problem+json');
      expect(sent.problem).toMatchObject({ type: 'urn:keyway:problem:malformed-json', status: 400, requestId: expect.any(String) });
      await expectNoAccount(email);
    });
  });

  describe('create project', () => {
    it('a name of the wrong type is named, and the project list is unchanged', async () => {
      const before = await projectNames();
      expectValidationProblem(await send('POST', projectsPath(), json({ name: 42 }), w.owner.token), ['name']);
      expect(await projectNames()).toEqual(before);
    });

    it('a missing name is named, and the project list is unchanged', async () => {
      const before = await projectNames();
      expectValidationProblem(await send('POST', projectsPath(), json({ description: 'no name' }), w.owner.token), ['name']);
      expect(await projectNames()).toEqual(before);
    });

    it('an unknown field is named, and the project is not created', async () => {
      const before = await projectNames();
      const sent = await send('POST', projectsPath(), json({ name: 'with-budget', budget: 100 }), w.owner.token);
      expectValidationProblem(sent, ['budget']);
      expect(await projectNames()).toEqual(before);
    });

    it('a blank name is refused as if missing, and the project list is unchanged', async () => {
      const before = await projectNames();
      expectValidationProblem(await send('POST', projectsPath(), json({ name: '   ' }), w.owner.token), ['name']);
      expect(await projectNames()).toEqual(before);
    });

    it('malformed JSON is a 400 malformed-json problem, and the project list is unchanged', async () => {
      const before = await projectNames();
      const sent = await send('POST', projectsPath(), '{"name": "half-', w.owner.token);
      expect(sent.status).toBe(400);
      expect(sent.contentType).toContain('application/problem+json');
      expect(sent.problem.type).toBe('urn:keyway:problem:malformed-json');
      expect(await projectNames()).toEqual(before);
    });

    it('a body over the 1 MB default limit is a 413 problem, and the project list is unchanged', async () => {
      const before = await projectNames();
      const sent = await send('POST', projectsPath(), json({ name: 'huge', description: 'x'.repeat(1_100_000) }), w.owner.token);
      expect(sent.status).toBe(413);
      expect(sent.contentType).toContain('application/problem+json');
      expect(sent.problem).toMatchObject({ type: 'urn:keyway:problem:body-too-large', status: 413 });
      expect(await projectNames()).toEqual(before);
    });
  });

  describe('invite', () => {
    it('an invalid email and an unknown role are both named, and no invitation is made', async () => {
      const before = await invitedEmails();
      const sent = await send('POST', invitePath(), json({ email: 'not-an-email', role: 'superuser' }), w.owner.token);
      expectValidationProblem(sent, ['email', 'role']);
      expect(sent.problem.errors!.find((e) => e.field === 'role')!.message).toContain('owner, member');
      expect(await invitedEmails()).toEqual(before);
    });

    it('an unknown field is named, and no invitation is made', async () => {
      const before = await invitedEmails();
      const sent = await send('POST', invitePath(), json({ email: uniqueEmail('extra'), role: 'member', projectId: w.projectId }), w.owner.token);
      expectValidationProblem(sent, ['projectId']);
      expect(await invitedEmails()).toEqual(before);
    });
  });

  describe('change role', () => {
    it('a project role is not an organization role: the member keeps their role', async () => {
      const before = await orgRoles();
      const sent = await send('PATCH', `/api/organizations/${w.owner.organizationId}/members/${w.member.userId}`, json({ role: 'admin' }), w.owner.token);
      expectValidationProblem(sent, ['role']);
      expect(await orgRoles()).toEqual(before);
    });

    it('an organization role is not a project role, and a missing role is named: the project member keeps their role', async () => {
      const before = await projectRoles();
      const path = `/api/projects/${w.projectId}/members/${w.developer.userId}`;
      expectValidationProblem(await send('PATCH', path, json({ role: 'owner' }), w.owner.token), ['role']);
      expectValidationProblem(await send('PATCH', path, json({}), w.owner.token), ['role']);
      expectValidationProblem(await send('PATCH', path, json({ role: 7 }), w.owner.token), ['role']);
      expect(await projectRoles()).toEqual(before);
    });
  });

  describe('path ids that are not UUIDs', () => {
    it.each([
      ['GET', '/api/organizations/not-a-uuid', undefined],
      ['GET', '/api/projects/12345', undefined],
      ['DELETE', "/api/projects/1' or 1=1", undefined],
      ['PATCH', '/api/organizations/{orgId}/members/not-a-uuid', json({ role: 'owner' })],
      ['DELETE', '/api/organizations/{orgId}/members/not-a-uuid', undefined],
      ['PATCH', '/api/projects/{projectId}/members/not-a-uuid', json({ role: 'admin' })],
      ['DELETE', '/api/projects/{projectId}/members/not-a-uuid', undefined],
    ] as const)('%s %s is a 400 or 404 problem, never a 500', async (method, template, body) => {
      const path = encodeURI(template.replace('{orgId}', w.owner.organizationId).replace('{projectId}', w.projectId));
      const before = [await orgRoles(), await projectNames(), await projectRoles()];
      const sent = await send(method, path, body, w.owner.token);
      expect([400, 404]).toContain(sent.status);
      expect(sent.contentType).toContain('application/problem+json');
      expect(sent.problem).toMatchObject({ status: sent.status, requestId: expect.any(String) });
      expect([await orgRoles(), await projectNames(), await projectRoles()]).toEqual(before);
    });
  });

  describe('unknown routes', () => {
    it.each([
      ['GET', '/api/no-such-thing'],
      ['POST', '/api/organizations'],
      ['GET', '/no-such-page'],
      ['DELETE', '/api/auth/signup'],
    ] as const)('%s %s is a 404 problem', async (method, path) => {
      const sent = await send(method, path, method === 'POST' ? json({ name: 'x' }) : undefined, w.owner.token);
      expect(sent.status).toBe(404);
      expect(sent.contentType).toContain('application/problem+json');
      expect(sent.problem).toMatchObject({ type: 'urn:keyway:problem:not-found', status: 404, requestId: expect.any(String) });
    });
  });
});
