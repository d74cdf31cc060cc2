import type { Invitation, Organization, Project, User } from '../domain/organization';
import type { MemberView, ProjectMemberView } from '../application/ports/organization-repository.port';
import type { InvitationResponse, MemberResponse, OrganizationResponse, ProjectMemberResponse, ProjectResponse } from './organization.dto';
import type { UserResponse } from './auth.dto';

export const toUser = (u: User): UserResponse => ({ id: u.id, email: u.email, name: u.name, createdAt: u.createdAt.toISOString() });

export const toOrganization = (o: Organization): OrganizationResponse => ({ id: o.id, name: o.name, createdAt: o.createdAt.toISOString() });

export const toMember = ({ membership, user }: MemberView): MemberResponse => ({
  userId: user.id,
  email: user.email,
  name: user.name,
  role: membership.role,
  joinedAt: membership.createdAt.toISOString(),
});

export const toInvitation = (i: Invitation): InvitationResponse => ({ id: i.id, email: i.email, role: i.role, expiresAt: i.expiresAt.toISOString() });

export const toProject = (p: Project): ProjectResponse => ({
  id: p.id,
  organizationId: p.organizationId,
  name: p.name,
  description: p.description,
  createdAt: p.createdAt.toISOString(),
});

export const toProjectMember = ({ membership, user }: ProjectMemberView): ProjectMemberResponse => ({
  userId: user.id,
  email: user.email,
  name: user.name,
  role: membership.role,
});
