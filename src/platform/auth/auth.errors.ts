import { DomainError } from '../errors/domain-error';

export class Unauthenticated extends DomainError {
  readonly kind = 'unauthenticated' as const;
  readonly type = 'unauthenticated';
  constructor(reason = 'A valid bearer token is required.') {
    super(reason);
  }
}

export class Forbidden extends DomainError {
  readonly kind = 'forbidden' as const;
  readonly type = 'forbidden';
  constructor(reason = 'Your role does not allow this action.') {
    super(reason);
  }
}

export class ResourceNotFound extends DomainError {
  readonly kind = 'not_found' as const;
  readonly type = 'not-found';
  constructor(what: string) {
    super(`${what} not found.`);
  }
}
