import { randomUUID } from 'node:crypto';

export type OrgRole = 'owner' | 'member';
export type ProjectRole = 'admin' | 'developer';
export const ORG_ROLES: readonly OrgRole[] = ['owner', 'member'];
export const PROJECT_ROLES: readonly ProjectRole[] = ['admin', 'developer'];

export class User {
  readonly id: string = randomUUID();
  readonly createdAt: Date = new Date();
  /** Null until an invited user sets a password. */
  passwordHash: string | null = null;

  constructor(
    public email: string,
    public name: string,
  ) {}
}

export class Organization {
  readonly id: string = randomUUID();
  readonly createdAt: Date = new Date();
  constructor(public name: string) {}
}

export class OrgMembership {
  readonly id: string = randomUUID();
  readonly createdAt: Date = new Date();
  constructor(
    readonly organizationId: string,
    readonly userId: string,
    public role: OrgRole,
  ) {}
}

export class Project {
  readonly id: string = randomUUID();
  readonly createdAt: Date = new Date();
  constructor(
    readonly organizationId: string,
    public name: string,
    public description: string | null = null,
  ) {}
}

export class ProjectMembership {
  readonly id: string = randomUUID();
  readonly createdAt: Date = new Date();
  constructor(
    readonly projectId: string,
    readonly organizationId: string,
    readonly userId: string,
    public role: ProjectRole,
  ) {}
}

/** An owner's invitation; only a hash of its one-time token is kept. */
export class Invitation {
  readonly id: string = randomUUID();
  readonly createdAt: Date = new Date();
  acceptedAt: Date | null = null;

  constructor(
    readonly organizationId: string,
    readonly email: string,
    readonly role: OrgRole,
    readonly tokenHash: string,
    readonly invitedByUserId: string,
    readonly expiresAt: Date,
  ) {}

  isOpen(now: Date): boolean {
    return this.acceptedAt === null && this.expiresAt.getTime() > now.getTime();
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** At least one owner always remains: a change that would leave none is refused. */
export function wouldLeaveNoOwner(memberships: readonly OrgMembership[], change: { userId: string; newRole: OrgRole | null }): boolean {
  const owners = memberships.filter((m) => m.role === 'owner');
  const target = memberships.find((m) => m.userId === change.userId);
  if (!target || target.role !== 'owner' || change.newRole === 'owner') return false;
  return owners.length <= 1;
}
