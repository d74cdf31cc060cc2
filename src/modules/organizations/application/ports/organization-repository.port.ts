import type { Invitation, OrgMembership, OrgRole, Organization, Project, ProjectMembership, ProjectRole, User } from '../../domain/organization';

export type MemberView = { membership: OrgMembership; user: User };
export type ProjectMemberView = { membership: ProjectMembership; user: User };

/** Persistence of users, organizations, projects and memberships. Multi-row changes are atomic. */
export abstract class OrganizationRepository {
  abstract findUserById(id: string): Promise<User | null>;
  abstract findUserByEmail(email: string): Promise<User | null>;
  abstract saveUser(user: User): Promise<void>;
  /** Signup: the user, their new organization and their owner membership, together. */
  abstract createOwnerAccount(user: User, organization: Organization, membership: OrgMembership): Promise<void>;

  abstract findOrganization(id: string): Promise<Organization | null>;
  abstract saveOrganization(organization: Organization): Promise<void>;
  abstract organizationsOf(userId: string): Promise<{ organization: Organization; role: OrgRole }[]>;
  abstract membershipsOf(userId: string): Promise<{ orgs: OrgMembership[]; projects: ProjectMembership[] }>;

  abstract listMembers(organizationId: string): Promise<MemberView[]>;
  abstract findMember(organizationId: string, userId: string): Promise<MemberView | null>;
  abstract addMember(membership: OrgMembership): Promise<void>;
  /** Applies the change unless it would leave the organization without an owner (then returns false). */
  abstract changeMemberRole(organizationId: string, userId: string, role: OrgRole): Promise<boolean>;
  /** Removes the membership and the user's project memberships in that organization, unless it would leave no owner. */
  abstract removeMember(organizationId: string, userId: string): Promise<boolean>;

  abstract saveInvitation(invitation: Invitation): Promise<void>;
  abstract listOpenInvitations(organizationId: string, now: Date): Promise<Invitation[]>;
  abstract findInvitationByTokenHash(tokenHash: string): Promise<Invitation | null>;
  /** Marks the invitation accepted and adds the membership (creating or updating the user) atomically; throws `InvitationInvalid` if it was accepted meanwhile. */
  abstract acceptInvitation(invitation: Invitation, user: User, userIsNew: boolean, membership: OrgMembership): Promise<void>;

  abstract listProjects(organizationId: string): Promise<Project[]>;
  abstract findProject(id: string): Promise<Project | null>;
  abstract findProjectByName(organizationId: string, name: string): Promise<Project | null>;
  abstract saveProject(project: Project): Promise<void>;
  abstract deleteProject(id: string): Promise<void>;

  abstract listProjectMembers(projectId: string): Promise<ProjectMemberView[]>;
  abstract findProjectMember(projectId: string, userId: string): Promise<ProjectMemberView | null>;
  abstract saveProjectMember(membership: ProjectMembership): Promise<void>;
  abstract changeProjectMemberRole(projectId: string, userId: string, role: ProjectRole): Promise<void>;
  abstract removeProjectMember(projectId: string, userId: string): Promise<void>;
}
