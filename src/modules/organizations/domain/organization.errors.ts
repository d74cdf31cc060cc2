import { DomainError } from '../../../platform/errors/domain-error';

export class EmailTaken extends DomainError {
  readonly kind = 'conflict' as const;
  readonly type = 'email-taken';
  constructor() {
    super('An account with this email already exists; log in instead.');
  }
}

export class InvalidCredentials extends DomainError {
  readonly kind = 'unauthenticated' as const;
  readonly type = 'invalid-credentials';
  constructor() {
    super('The email or password is incorrect.');
  }
}

export class OrganizationNotFound extends DomainError {
  readonly kind = 'not_found' as const;
  readonly type = 'organization-not-found';
  constructor() {
    super('Organization not found.');
  }
}

export class ProjectNotFound extends DomainError {
  readonly kind = 'not_found' as const;
  readonly type = 'project-not-found';
  constructor() {
    super('Project not found.');
  }
}

export class MemberNotFound extends DomainError {
  readonly kind = 'not_found' as const;
  readonly type = 'member-not-found';
  constructor() {
    super('Member not found.');
  }
}

export class LastOwner extends DomainError {
  readonly kind = 'conflict' as const;
  readonly type = 'last-owner';
  constructor() {
    super('An organization must keep at least one owner; make another member an owner first.');
  }
}

export class AlreadyMember extends DomainError {
  readonly kind = 'conflict' as const;
  readonly type = 'already-member';
  constructor(what: string) {
    super(`This user is already a member of the ${what}.`);
  }
}

export class NotOrganizationMember extends DomainError {
  readonly kind = 'invalid' as const;
  readonly type = 'not-organization-member';
  constructor() {
    super('Only members of the organization can be added to its projects.', [
      { field: 'userId', message: 'is not a member of this organization' },
    ]);
  }
}

export class InvitationInvalid extends DomainError {
  readonly kind = 'invalid' as const;
  readonly type = 'invitation-invalid';
  constructor() {
    super('This invitation token is unknown, already used or expired.', [{ field: 'token', message: 'is unknown, used or expired' }]);
  }
}

export class ProjectNameTaken extends DomainError {
  readonly kind = 'conflict' as const;
  readonly type = 'project-name-taken';
  constructor(name: string) {
    super(`A project named "${name}" already exists in this organization.`);
  }
}
