import { startTestApp, TestApp } from '../../support/test-app';
import { bearer, joinOrganization, PASSWORD, signUp, uniqueEmail } from '../../support/world';

describe('identity', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('a new user signs up, becomes owner of a new organization, logs in and sees themself', async () => {
    const email = uniqueEmail('ada');
    const signup = await t.api.POST('/api/auth/signup', { body: { email, password: PASSWORD, name: 'Ada', organizationName: 'Engines' } });
    expect(signup.response.status).toBe(201);
    expect(signup.data!.user.email).toBe(email);
    expect(signup.data!.organization.name).toBe('Engines');
    expect(JSON.stringify(signup.data)).not.toContain(PASSWORD);

    const login = await t.api.POST('/api/auth/login', { body: { email: email.toUpperCase(), password: PASSWORD } });
    expect(login.response.status).toBe(200);
    const me = await t.api.GET('/api/me', bearer(login.data!.accessToken));
    expect(me.data!.user.email).toBe(email);
    expect(me.data!.organizations).toEqual([{ organization: signup.data!.organization, role: 'owner' }]);
  });

  it('signing up twice with one email is a conflict', async () => {
    const owner = await signUp(t);
    const again = await t.api.POST('/api/auth/signup', { body: { email: owner.email, password: PASSWORD, name: 'x', organizationName: 'y' } });
    expect(again.response.status).toBe(409);
    expect(again.response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('a wrong password and an unknown email get the same 401', async () => {
    const owner = await signUp(t);
    const wrong = await t.api.POST('/api/auth/login', { body: { email: owner.email, password: 'not-the-password!' } });
    const unknown = await t.api.POST('/api/auth/login', { body: { email: uniqueEmail('nobody'), password: PASSWORD } });
    expect(wrong.response.status).toBe(401);
    expect(unknown.response.status).toBe(401);
    expect(wrong.error).toEqual({ ...unknown.error, requestId: expect.any(String) });
  });

  it('/api/me without a token, or with a forged one, is 401', async () => {
    expect((await t.api.GET('/api/me')).response.status).toBe(401);
    const forged = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    expect((await t.api.GET('/api/me', bearer(forged))).response.status).toBe(401);
  });

  it('an invited person sets a password with the one-time token and joins as member; the token works once', async () => {
    const owner = await signUp(t);
    const email = uniqueEmail('grace');
    const invite = await t.api.POST('/api/organizations/{orgId}/members', {
      params: { path: { orgId: owner.organizationId } },
      body: { email, role: 'member' },
      ...bearer(owner.token),
    });
    expect(invite.response.status).toBe(201);
    const open = await t.api.GET('/api/organizations/{orgId}/invitations', { params: { path: { orgId: owner.organizationId } }, ...bearer(owner.token) });
    expect(open.data!.map((i) => i.email)).toContain(email);
    expect(JSON.stringify(open.data)).not.toContain(invite.data!.token);

    const accepted = await t.api.POST('/api/auth/accept-invitation', { body: { token: invite.data!.token, password: PASSWORD, name: 'Grace' } });
    expect(accepted.response.status).toBe(200);
    expect(accepted.data!.organizationId).toBe(owner.organizationId);
    const again = await t.api.POST('/api/auth/accept-invitation', { body: { token: invite.data!.token, password: PASSWORD } });
    expect(again.response.status).toBe(400);

    const members = await t.api.GET('/api/organizations/{orgId}/members', { params: { path: { orgId: owner.organizationId } }, ...bearer(owner.token) });
    expect(members.data!.find((m) => m.email === email)?.role).toBe('member');
    const login = await t.api.POST('/api/auth/login', { body: { email, password: PASSWORD } });
    expect(login.response.status).toBe(200);
  });

  it('the last owner can be neither removed nor demoted; with a second owner they can', async () => {
    const owner = await signUp(t);
    const orgId = owner.organizationId;
    const demote = await t.api.PATCH('/api/organizations/{orgId}/members/{userId}', {
      params: { path: { orgId, userId: owner.userId } },
      body: { role: 'member' },
      ...bearer(owner.token),
    });
    expect(demote.response.status).toBe(409);
    expect(demote.error).toMatchObject({ type: 'urn:keyway:problem:last-owner' });
    const remove = await t.api.DELETE('/api/organizations/{orgId}/members/{userId}', { params: { path: { orgId, userId: owner.userId } }, ...bearer(owner.token) });
    expect(remove.response.status).toBe(409);

    const second = await joinOrganization(t, owner, 'second-owner', 'owner');
    const removed = await t.api.DELETE('/api/organizations/{orgId}/members/{userId}', { params: { path: { orgId, userId: owner.userId } }, ...bearer(second.token) });
    expect(removed.response.status).toBe(204);
    const members = await t.api.GET('/api/organizations/{orgId}/members', { params: { path: { orgId } }, ...bearer(second.token) });
    expect(members.data!.map((m) => m.userId)).toEqual([second.userId]);
  });

  it('no password ever appears in the logs', async () => {
    await signUp(t);
    expect(t.logs()).not.toContain(PASSWORD);
  });
});
