import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Invitation, OrgMembership, OrgRole, Organization, Project, ProjectMembership, ProjectRole, User, wouldLeaveNoOwner } from '../domain/organization';
import { MemberView, OrganizationRepository, ProjectMemberView } from '../application/ports/organization-repository.port';
import { InvitationInvalid } from '../domain/organization.errors';

/** Every method works on its own fork; multi-row changes run in one short transaction on that fork only. */
@Injectable()
export class MikroOrmOrganizationRepository implements OrganizationRepository {
  constructor(private readonly orm: MikroORM) {}

  private em(): EntityManager {
    return this.orm.em.fork();
  }

  findUserById(id: string): Promise<User | null> {
    return this.em().findOne(User, { id });
  }

  findUserByEmail(email: string): Promise<User | null> {
    return this.em().findOne(User, { email });
  }

  async saveUser(user: User): Promise<void> {
    const em = this.em();
    await em.upsert(User, user);
  }

  async createOwnerAccount(user: User, organization: Organization, membership: OrgMembership): Promise<void> {
    await this.em().transactional(async (em) => {
      // Plain id columns carry no relation metadata, so parents are flushed before children.
      await em.persistAndFlush([user, organization]);
      em.persist(membership);
    });
  }

  findOrganization(id: string): Promise<Organization | null> {
    return this.em().findOne(Organization, { id });
  }

  async saveOrganization(organization: Organization): Promise<void> {
    await this.em().upsert(Organization, organization);
  }

  async organizationsOf(userId: string): Promise<{ organization: Organization; role: OrgRole }[]> {
    const em = this.em();
    const memberships = await em.find(OrgMembership, { userId }, { orderBy: { createdAt: 'asc' } });
    if (memberships.length === 0) return [];
    const orgs = await em.find(Organization, { id: { $in: memberships.map((m) => m.organizationId) } });
    const byId = new Map(orgs.map((o) => [o.id, o]));
    return memberships.flatMap((m) => {
      const organization = byId.get(m.organizationId);
      return organization ? [{ organization, role: m.role }] : [];
    });
  }

  async membershipsOf(userId: string): Promise<{ orgs: OrgMembership[]; projects: ProjectMembership[] }> {
    const em = this.em();
    const [orgs, projects] = await Promise.all([em.find(OrgMembership, { userId }), em.find(ProjectMembership, { userId })]);
    return { orgs, projects };
  }

  async listMembers(organizationId: string): Promise<MemberView[]> {
    const em = this.em();
    const memberships = await em.find(OrgMembership, { organizationId }, { orderBy: { createdAt: 'asc' } });
    return this.withUsers(em, memberships);
  }

  async findMember(organizationId: string, userId: string): Promise<MemberView | null> {
    const em = this.em();
    const membership = await em.findOne(OrgMembership, { organizationId, userId });
    if (!membership) return null;
    const user = await em.findOne(User, { id: userId });
    return user ? { membership, user } : null;
  }

  async addMember(membership: OrgMembership): Promise<void> {
    await this.em().persistAndFlush(membership);
  }

  changeMemberRole(organizationId: string, userId: string, role: OrgRole): Promise<boolean> {
    return this.withOwnersLocked(organizationId, async (em, memberships) => {
      if (wouldLeaveNoOwner(memberships, { userId, newRole: role })) return false;
      const target = memberships.find((m) => m.userId === userId);
      if (target) target.role = role;
      return true;
    });
  }

  removeMember(organizationId: string, userId: string): Promise<boolean> {
    return this.withOwnersLocked(organizationId, async (em, memberships) => {
      if (wouldLeaveNoOwner(memberships, { userId, newRole: null })) return false;
      await em.nativeDelete(ProjectMembership, { organizationId, userId });
      await em.nativeDelete(OrgMembership, { organizationId, userId });
      return true;
    });
  }

  /** Locks the organization's memberships so that two concurrent changes cannot both remove "the other" owner. */
  private withOwnersLocked(organizationId: string, change: (em: EntityManager, memberships: OrgMembership[]) => Promise<boolean>): Promise<boolean> {
    return this.em().transactional(async (em) => {
      await em.getConnection().execute('select id from org_memberships where organization_id = ? for update', [organizationId], 'all', em.getTransactionContext());
      const memberships = await em.find(OrgMembership, { organizationId });
      return change(em, memberships);
    });
  }

  async saveInvitation(invitation: Invitation): Promise<void> {
    await this.em().persistAndFlush(invitation);
  }

  listOpenInvitations(organizationId: string, now: Date): Promise<Invitation[]> {
    return this.em().find(Invitation, { organizationId, acceptedAt: null, expiresAt: { $gt: now } }, { orderBy: { createdAt: 'asc' } });
  }

  findInvitationByTokenHash(tokenHash: string): Promise<Invitation | null> {
    return this.em().findOne(Invitation, { tokenHash });
  }

  async acceptInvitation(invitation: Invitation, user: User, userIsNew: boolean, membership: OrgMembership): Promise<void> {
    await this.em().transactional(async (em) => {
      const claimed = await em.nativeUpdate(Invitation, { id: invitation.id, acceptedAt: null }, { acceptedAt: new Date() });
      if (claimed !== 1) throw new InvitationInvalid();
      if (userIsNew) await em.persistAndFlush(user);
      else await em.nativeUpdate(User, { id: user.id }, { passwordHash: user.passwordHash, name: user.name });
      em.persist(membership);
    });
  }

  listProjects(organizationId: string): Promise<Project[]> {
    return this.em().find(Project, { organizationId }, { orderBy: { name: 'asc' } });
  }

  findProject(id: string): Promise<Project | null> {
    return this.em().findOne(Project, { id });
  }

  findProjectByName(organizationId: string, name: string): Promise<Project | null> {
    return this.em().findOne(Project, { organizationId, name });
  }

  async saveProject(project: Project): Promise<void> {
    await this.em().upsert(Project, project);
  }

  async deleteProject(id: string): Promise<void> {
    await this.em().nativeDelete(Project, { id });
  }

  async listProjectMembers(projectId: string): Promise<ProjectMemberView[]> {
    const em = this.em();
    const memberships = await em.find(ProjectMembership, { projectId }, { orderBy: { createdAt: 'asc' } });
    return this.withUsers(em, memberships);
  }

  async findProjectMember(projectId: string, userId: string): Promise<ProjectMemberView | null> {
    const em = this.em();
    const membership = await em.findOne(ProjectMembership, { projectId, userId });
    if (!membership) return null;
    const user = await em.findOne(User, { id: userId });
    return user ? { membership, user } : null;
  }

  async saveProjectMember(membership: ProjectMembership): Promise<void> {
    await this.em().persistAndFlush(membership);
  }

  async changeProjectMemberRole(projectId: string, userId: string, role: ProjectRole): Promise<void> {
    await this.em().nativeUpdate(ProjectMembership, { projectId, userId }, { role });
  }

  async removeProjectMember(projectId: string, userId: string): Promise<void> {
    await this.em().nativeDelete(ProjectMembership, { projectId, userId });
  }

  private async withUsers<M extends { userId: string }>(em: EntityManager, memberships: M[]): Promise<{ membership: M; user: User }[]> {
    if (memberships.length === 0) return [];
    const users = await em.find(User, { id: { $in: memberships.map((m) => m.userId) } });
    const byId = new Map(users.map((u) => [u.id, u]));
    return memberships.flatMap((membership) => {
      const user = byId.get(membership.userId);
      return user ? [{ membership, user }] : [];
    });
  }
}
