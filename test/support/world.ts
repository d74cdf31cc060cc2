import { randomBytes } from 'node:crypto';
import type { TestApp } from './test-app';

export const PASSWORD = 'correct-horse-battery-staple';

export type Account = { userId: string; email: string; token: string; organizationId: string };

export function uniqueEmail(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}@example.com`;
}

export function bearer(token: string): { headers: { authorization: string } } {
  return { headers: { authorization: `Bearer ${token}` } };
}

/** Signs up a new owner with a new organization. */
export async function signUp(t: TestApp, label = 'owner'): Promise<Account> {
  const email = uniqueEmail(label);
  const { data, error } = await t.api.POST('/api/auth/signup', {
    body: { email, password: PASSWORD, name: label, organizationName: `${label} org` },
  });
  if (!data) throw new Error(`signup failed: ${JSON.stringify(error)}`);
  return { userId: data.user.id, email, token: data.accessToken, organizationId: data.organization.id };
}

/** Invites `label` into the owner's organization with `role`, and accepts the invitation. */
export async function joinOrganization(t: TestApp, owner: Account, label: string, role: 'owner' | 'member' = 'member'): Promise<Account> {
  const email = uniqueEmail(label);
  const invite = await t.api.POST('/api/organizations/{orgId}/members', {
    params: { path: { orgId: owner.organizationId } },
    body: { email, role },
    ...bearer(owner.token),
  });
  if (!invite.data) throw new Error(`invite failed: ${JSON.stringify(invite.error)}`);
  const accepted = await t.api.POST('/api/auth/accept-invitation', { body: { token: invite.data.token, password: PASSWORD, name: label } });
  if (!accepted.data) throw new Error(`accept failed: ${JSON.stringify(accepted.error)}`);
  const me = await t.api.GET('/api/me', bearer(accepted.data.accessToken));
  return { userId: me.data!.user.id, email, token: accepted.data.accessToken, organizationId: owner.organizationId };
}

export async function createProject(t: TestApp, owner: Account, name = `project-${randomBytes(3).toString('hex')}`): Promise<string> {
  const { data, error } = await t.api.POST('/api/organizations/{orgId}/projects', {
    params: { path: { orgId: owner.organizationId } },
    body: { name },
    ...bearer(owner.token),
  });
  if (!data) throw new Error(`create project failed: ${JSON.stringify(error)}`);
  return data.id;
}

export async function addToProject(t: TestApp, owner: Account, projectId: string, member: Account, role: 'admin' | 'developer'): Promise<void> {
  const { error } = await t.api.POST('/api/projects/{projectId}/members', {
    params: { path: { projectId } },
    body: { userId: member.userId, role },
    ...bearer(owner.token),
  });
  if (error) throw new Error(`add to project failed: ${JSON.stringify(error)}`);
}

/** An organization with an owner, a project, and that project's admin and developer, plus an outsider's organization. */
export type World = { owner: Account; admin: Account; developer: Account; member: Account; outsider: Account; projectId: string };

export async function buildWorld(t: TestApp): Promise<World> {
  const owner = await signUp(t, 'owner');
  const projectId = await createProject(t, owner);
  const admin = await joinOrganization(t, owner, 'admin');
  const developer = await joinOrganization(t, owner, 'developer');
  const member = await joinOrganization(t, owner, 'member');
  await addToProject(t, owner, projectId, admin, 'admin');
  await addToProject(t, owner, projectId, developer, 'developer');
  const outsider = await signUp(t, 'outsider');
  // Tokens carry no roles; memberships are read per request, so the tokens above stay valid.
  return { owner, admin, developer, member, outsider, projectId };
}
