export type OrgRoleName = 'owner' | 'member';
export type ProjectRoleName = 'admin' | 'developer';

/** Who is calling the management API, with every membership they hold. */
export type Actor = {
  userId: string;
  email: string;
  orgRoles: ReadonlyMap<string, OrgRoleName>;
  /** projectId → the project's organization and the actor's role in it. */
  projectRoles: ReadonlyMap<string, { organizationId: string; role: ProjectRoleName }>;
};

/** Looks up the memberships of a user; implemented by the organizations module. */
export abstract class MembershipDirectory {
  abstract actorFor(userId: string): Promise<Actor | null>;
  abstract actorByEmail(email: string): Promise<Actor | null>;
}
