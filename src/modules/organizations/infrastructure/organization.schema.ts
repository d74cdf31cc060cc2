import { EntitySchema } from '@mikro-orm/core';
import { Invitation, OrgMembership, Organization, Project, ProjectMembership, User } from '../domain/organization';

export const UserSchema = new EntitySchema<User>({
  class: User,
  tableName: 'users',
  properties: {
    id: { type: 'uuid', primary: true },
    email: { type: 'string', unique: true },
    name: { type: 'string' },
    passwordHash: { type: 'string', nullable: true },
    createdAt: { type: 'Date' },
  },
});

export const OrganizationSchema = new EntitySchema<Organization>({
  class: Organization,
  tableName: 'organizations',
  properties: {
    id: { type: 'uuid', primary: true },
    name: { type: 'string' },
    createdAt: { type: 'Date' },
  },
});

export const OrgMembershipSchema = new EntitySchema<OrgMembership>({
  class: OrgMembership,
  tableName: 'org_memberships',
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid' },
    userId: { type: 'uuid' },
    role: { type: 'string' },
    createdAt: { type: 'Date' },
  },
});

export const ProjectSchema = new EntitySchema<Project>({
  class: Project,
  tableName: 'projects',
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid' },
    name: { type: 'string' },
    description: { type: 'string', nullable: true },
    createdAt: { type: 'Date' },
  },
});

export const ProjectMembershipSchema = new EntitySchema<ProjectMembership>({
  class: ProjectMembership,
  tableName: 'project_memberships',
  properties: {
    id: { type: 'uuid', primary: true },
    projectId: { type: 'uuid' },
    organizationId: { type: 'uuid' },
    userId: { type: 'uuid' },
    role: { type: 'string' },
    createdAt: { type: 'Date' },
  },
});

export const InvitationSchema = new EntitySchema<Invitation>({
  class: Invitation,
  tableName: 'invitations',
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid' },
    email: { type: 'string' },
    role: { type: 'string' },
    tokenHash: { type: 'string', unique: true },
    invitedByUserId: { type: 'uuid' },
    expiresAt: { type: 'Date' },
    acceptedAt: { type: 'Date', nullable: true },
    createdAt: { type: 'Date' },
  },
});

export const ORGANIZATION_ENTITIES = [
  UserSchema,
  OrganizationSchema,
  OrgMembershipSchema,
  ProjectSchema,
  ProjectMembershipSchema,
  InvitationSchema,
];
