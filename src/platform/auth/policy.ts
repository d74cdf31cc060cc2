import type { Actor } from './actor';

/**
 * DESIGN §2 as one table. Rows are actions, columns the actor's effective role on the
 * resource: `owner` (organization owner: acts on every project), `admin` and `developer`
 * (project roles; for an integration, the best role in any project of its scope),
 * `member` (in the organization, no role on the resource).
 *   allow — permitted;  own — permitted on what the actor created;  deny — 403.
 * An actor outside the resource's organization always gets 404.
 */
export type EffectiveRole = 'owner' | 'admin' | 'developer' | 'member';
export type Rule = 'allow' | 'own' | 'deny';

export const POLICY = {
  'organization.read':       { owner: 'allow', admin: 'allow', developer: 'allow', member: 'allow' },
  'organization.manage':     { owner: 'allow', admin: 'deny',  developer: 'deny',  member: 'deny' },
  'org-members.read':        { owner: 'allow', admin: 'allow', developer: 'allow', member: 'allow' },
  'org-members.manage':      { owner: 'allow', admin: 'deny',  developer: 'deny',  member: 'deny' },
  'projects.read':           { owner: 'allow', admin: 'allow', developer: 'allow', member: 'allow' },
  'projects.manage':         { owner: 'allow', admin: 'deny',  developer: 'deny',  member: 'deny' },
  'project.read':            { owner: 'allow', admin: 'allow', developer: 'allow', member: 'deny' },
  'project-members.read':    { owner: 'allow', admin: 'allow', developer: 'allow', member: 'deny' },
  'project-members.manage':  { owner: 'allow', admin: 'allow', developer: 'deny',  member: 'deny' },
  'integrations.read':       { owner: 'allow', admin: 'allow', developer: 'allow', member: 'deny' },
  'integrations.manage':     { owner: 'allow', admin: 'deny',  developer: 'deny',  member: 'deny' },
  'routing.read':            { owner: 'allow', admin: 'allow', developer: 'allow', member: 'deny' },
  'routing.manage':          { owner: 'allow', admin: 'allow', developer: 'deny',  member: 'deny' },
  'api-keys.read':           { owner: 'allow', admin: 'allow', developer: 'own',   member: 'deny' },
  'api-keys.manage':         { owner: 'allow', admin: 'allow', developer: 'own',   member: 'deny' },
  'activity.read':           { owner: 'allow', admin: 'allow', developer: 'allow', member: 'deny' },
  'usage.read-org':          { owner: 'allow', admin: 'deny',  developer: 'deny',  member: 'deny' },
  'audit.read':              { owner: 'allow', admin: 'deny',  developer: 'deny',  member: 'deny' },
} as const satisfies Record<string, Record<EffectiveRole, Rule>>;

export type Action = keyof typeof POLICY;

/** Where a resource lives, as far as authorization is concerned. */
export type ResourceScope = {
  organizationId: string;
  /** A project resource, or a list of projects (an integration's scope); `all` = every project of the organization. */
  projects?: string | readonly string[] | 'all';
  /** The user who created it, for `own` rules. */
  createdByUserId?: string;
};

export type Decision = 'allow' | 'own' | 'forbidden' | 'not_found';

export function effectiveRole(actor: Actor, scope: ResourceScope): EffectiveRole | null {
  const orgRole = actor.orgRoles.get(scope.organizationId);
  if (!orgRole) return null;
  if (orgRole === 'owner') return 'owner';
  if (scope.projects === undefined) return 'member';
  let best: EffectiveRole = 'member';
  for (const [projectId, { organizationId, role }] of actor.projectRoles) {
    if (organizationId !== scope.organizationId) continue;
    const inScope =
      scope.projects === 'all' || scope.projects === projectId || (Array.isArray(scope.projects) && scope.projects.includes(projectId));
    if (!inScope) continue;
    if (role === 'admin') return 'admin';
    best = 'developer';
  }
  return best;
}

/** `own` means: allowed, but only on resources the actor created (the caller filters or checks). */
export function decide(action: Action, actor: Actor, scope: ResourceScope): Decision {
  const role = effectiveRole(actor, scope);
  if (role === null) return 'not_found';
  const rule: Rule = POLICY[action][role];
  if (rule === 'deny') return 'forbidden';
  if (rule === 'own' && scope.createdByUserId !== undefined) return scope.createdByUserId === actor.userId ? 'allow' : 'forbidden';
  return rule;
}
