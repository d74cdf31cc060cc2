import { DomainError } from '../../../platform/errors/domain-error';

export class ApiKeyNotFound extends DomainError {
  readonly kind = 'not_found' as const;
  readonly type = 'api-key-not-found';
  constructor() {
    super('API key not found.');
  }
}

export class InvalidApiKey extends DomainError {
  readonly kind = 'unauthenticated' as const;
  readonly type = 'invalid-api-key';
  constructor(reason = 'The API key is missing, unknown, revoked or expired.') {
    super(reason);
  }
}

export class ExpiryInPast extends DomainError {
  readonly kind = 'invalid' as const;
  readonly type = 'validation-failed';
  constructor() {
    super('The expiry must be in the future.', [{ field: 'expiresAt', message: 'must be in the future' }]);
  }
}

export class BudgetUnavailable extends DomainError {
  readonly kind = 'unavailable' as const;
  readonly type = 'budget-unavailable';
  constructor() {
    super('The budget cannot be read right now (its ledger is unreachable); try again shortly.');
  }
}
