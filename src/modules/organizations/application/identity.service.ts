import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from '../../../platform/auth/password-hasher';
import { JwtSecret } from '../../../platform/auth/jwt-secret';
import { Actor, MembershipDirectory } from '../../../platform/auth/actor';
import { OrgMembership, OrgRole, Organization, User, normalizeEmail } from '../domain/organization';
import { EmailTaken, InvalidCredentials, InvitationInvalid } from '../domain/organization.errors';
import { OrganizationRepository } from './ports/organization-repository.port';

export type Session = { accessToken: string; tokenType: 'Bearer'; expiresIn: number };

@Injectable()
export class IdentityService extends MembershipDirectory {
  constructor(
    private readonly repo: OrganizationRepository,
    private readonly jwt: JwtSecret,
  ) {
    super();
  }

  async signup(input: { email: string; password: string; name: string; organizationName: string }): Promise<{ session: Session; user: User; organization: Organization }> {
    const email = normalizeEmail(input.email);
    if (await this.repo.findUserByEmail(email)) throw new EmailTaken();
    const user = new User(email, input.name.trim());
    user.passwordHash = await hashPassword(input.password);
    const organization = new Organization(input.organizationName.trim());
    try {
      await this.repo.createOwnerAccount(user, organization, new OrgMembership(organization.id, user.id, 'owner'));
    } catch (error) {
      if (isUniqueViolation(error)) throw new EmailTaken();
      throw error;
    }
    return { session: await this.session(user.id), user, organization };
  }

  async login(input: { email: string; password: string }): Promise<Session> {
    const user = await this.repo.findUserByEmail(normalizeEmail(input.email));
    if (!user?.passwordHash) {
      await verifyPassword(input.password, await DUMMY_HASH_PROMISE);
      throw new InvalidCredentials();
    }
    if (!(await verifyPassword(input.password, user.passwordHash))) throw new InvalidCredentials();
    return this.session(user.id);
  }

  /**
   * Accepting an invitation: a new user sets their name and password; an existing user
   * proves who they are with their current password.
   */
  async acceptInvitation(input: { token: string; password: string; name?: string }): Promise<{ session: Session; organizationId: string }> {
    const invitation = await this.repo.findInvitationByTokenHash(hashToken(input.token));
    if (!invitation?.isOpen(new Date())) throw new InvitationInvalid();
    const existing = await this.repo.findUserByEmail(invitation.email);
    let user: User;
    if (existing?.passwordHash) {
      if (!(await verifyPassword(input.password, existing.passwordHash))) throw new InvalidCredentials();
      user = existing;
    } else {
      user = existing ?? new User(invitation.email, (input.name ?? invitation.email.split('@')[0]).trim());
      if (input.name) user.name = input.name.trim();
      user.passwordHash = await hashPassword(input.password);
    }
    if (await this.repo.findMember(invitation.organizationId, user.id)) throw new InvitationInvalid();
    try {
      await this.repo.acceptInvitation(invitation, user, !existing, new OrgMembership(invitation.organizationId, user.id, invitation.role as OrgRole));
    } catch (error) {
      // A race on the same invitation: the loser sees the usual invalid-invitation answer.
      if (isUniqueViolation(error)) throw new InvitationInvalid();
      throw error;
    }
    return { session: await this.session(user.id), organizationId: invitation.organizationId };
  }

  async me(userId: string): Promise<{ user: User; organizations: { organization: Organization; role: OrgRole }[] }> {
    const user = await this.repo.findUserById(userId);
    if (!user) throw new InvalidCredentials();
    return { user, organizations: await this.repo.organizationsOf(userId) };
  }

  async actorFor(userId: string): Promise<Actor | null> {
    const user = await this.repo.findUserById(userId);
    return user ? this.actorOf(user) : null;
  }

  async actorByEmail(email: string): Promise<Actor | null> {
    const user = await this.repo.findUserByEmail(normalizeEmail(email));
    return user ? this.actorOf(user) : null;
  }

  private async actorOf(user: User): Promise<Actor> {
    const { orgs, projects } = await this.repo.membershipsOf(user.id);
    return {
      userId: user.id,
      email: user.email,
      orgRoles: new Map(orgs.map((m) => [m.organizationId, m.role])),
      projectRoles: new Map(projects.map((m) => [m.projectId, { organizationId: m.organizationId, role: m.role }])),
    };
  }

  private async session(userId: string): Promise<Session> {
    const { token, expiresIn } = await this.jwt.sign(userId);
    return { accessToken: token, tokenType: 'Bearer', expiresIn };
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}
