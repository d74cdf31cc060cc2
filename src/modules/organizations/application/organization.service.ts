import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../../platform/auth/actor';
import { Invitation, OrgMembership, OrgRole, Project, ProjectMembership, ProjectRole, normalizeEmail } from '../domain/organization';
import {
  AlreadyMember,
  LastOwner,
  MemberNotFound,
  NotOrganizationMember,
  OrganizationNotFound,
  ProjectNameTaken,
  ProjectNotFound,
} from '../domain/organization.errors';
import { hashToken, isUniqueViolation } from './identity.service';
import { MemberView, OrganizationRepository, ProjectMemberView } from './ports/organization-repository.port';

const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

/** Organizations, their members and invitations, projects and project members. Authorization happened in the guard. */
@Injectable()
export class OrganizationService {
  constructor(private readonly repo: OrganizationRepository) {}

  async getOrganization(organizationId: string) {
    const organization = await this.repo.findOrganization(organizationId);
    if (!organization) throw new OrganizationNotFound();
    return organization;
  }

  async renameOrganization(organizationId: string, name: string) {
    const organization = await this.getOrganization(organizationId);
    organization.name = name.trim();
    await this.repo.saveOrganization(organization);
    return organization;
  }

  listMembers(organizationId: string): Promise<MemberView[]> {
    return this.repo.listMembers(organizationId);
  }

  async invite(organizationId: string, actor: Actor, input: { email: string; role: OrgRole }): Promise<{ invitation: Invitation; token: string }> {
    const email = normalizeEmail(input.email);
    const members = await this.repo.listMembers(organizationId);
    if (members.some((m) => m.user.email === email)) throw new AlreadyMember('organization');
    const token = `kwinv_${randomBytes(24).toString('base64url')}`;
    const invitation = new Invitation(organizationId, email, input.role, hashToken(token), actor.userId, new Date(Date.now() + INVITATION_TTL_MS));
    await this.repo.saveInvitation(invitation);
    return { invitation, token };
  }

  listInvitations(organizationId: string): Promise<Invitation[]> {
    return this.repo.listOpenInvitations(organizationId, new Date());
  }

  async changeMemberRole(organizationId: string, userId: string, role: OrgRole): Promise<MemberView> {
    if (!(await this.repo.findMember(organizationId, userId))) throw new MemberNotFound();
    if (!(await this.repo.changeMemberRole(organizationId, userId, role))) throw new LastOwner();
    return (await this.repo.findMember(organizationId, userId))!;
  }

  async removeMember(organizationId: string, userId: string): Promise<void> {
    if (!(await this.repo.findMember(organizationId, userId))) throw new MemberNotFound();
    if (!(await this.repo.removeMember(organizationId, userId))) throw new LastOwner();
  }

  listAllProjects(organizationId: string): Promise<Project[]> {
    return this.repo.listProjects(organizationId);
  }

  /** Owners see every project; other members see the projects they belong to. */
  async listProjects(organizationId: string, actor: Actor): Promise<Project[]> {
    const projects = await this.repo.listProjects(organizationId);
    if (actor.orgRoles.get(organizationId) === 'owner') return projects;
    return projects.filter((p) => actor.projectRoles.has(p.id));
  }

  async createProject(organizationId: string, input: { name: string; description?: string }): Promise<Project> {
    const name = input.name.trim();
    if (await this.repo.findProjectByName(organizationId, name)) throw new ProjectNameTaken(name);
    const project = new Project(organizationId, name, input.description ?? null);
    try {
      await this.repo.saveProject(project);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ProjectNameTaken(name);
      throw error;
    }
    return project;
  }

  async getProject(projectId: string): Promise<Project> {
    const project = await this.repo.findProject(projectId);
    if (!project) throw new ProjectNotFound();
    return project;
  }

  async updateProject(projectId: string, input: { name?: string; description?: string | null }): Promise<Project> {
    const project = await this.getProject(projectId);
    if (input.name !== undefined && input.name.trim() !== project.name) {
      const name = input.name.trim();
      if (await this.repo.findProjectByName(project.organizationId, name)) throw new ProjectNameTaken(name);
      project.name = name;
    }
    if (input.description !== undefined) project.description = input.description;
    await this.repo.saveProject(project);
    return project;
  }

  async deleteProject(projectId: string): Promise<void> {
    await this.getProject(projectId);
    await this.repo.deleteProject(projectId);
  }

  listProjectMembers(projectId: string): Promise<ProjectMemberView[]> {
    return this.repo.listProjectMembers(projectId);
  }

  async addProjectMember(projectId: string, input: { userId: string; role: ProjectRole }): Promise<ProjectMemberView> {
    const project = await this.getProject(projectId);
    if (!(await this.repo.findMember(project.organizationId, input.userId))) throw new NotOrganizationMember();
    if (await this.repo.findProjectMember(projectId, input.userId)) throw new AlreadyMember('project');
    try {
      await this.repo.saveProjectMember(new ProjectMembership(projectId, project.organizationId, input.userId, input.role));
    } catch (error) {
      if (isUniqueViolation(error)) throw new AlreadyMember('project');
      throw error;
    }
    return (await this.repo.findProjectMember(projectId, input.userId))!;
  }

  async changeProjectMemberRole(projectId: string, userId: string, role: ProjectRole): Promise<ProjectMemberView> {
    if (!(await this.repo.findProjectMember(projectId, userId))) throw new MemberNotFound();
    await this.repo.changeProjectMemberRole(projectId, userId, role);
    return (await this.repo.findProjectMember(projectId, userId))!;
  }

  async removeProjectMember(projectId: string, userId: string): Promise<void> {
    if (!(await this.repo.findProjectMember(projectId, userId))) throw new MemberNotFound();
    await this.repo.removeProjectMember(projectId, userId);
  }
}
