import { DomainError, FieldError } from '../../../platform/errors/domain-error';

export class IntegrationNotFound extends DomainError {
  readonly kind = 'not_found' as const;
  readonly type = 'integration-not-found';
  constructor() {
    super('Integration not found.');
  }
}

export class ProviderSlugTaken extends DomainError {
  readonly kind = 'conflict' as const;
  readonly type = 'provider-slug-taken';
  constructor(slug: string) {
    super(`The provider slug "${slug}" is already used by another integration of this organization.`, [{ field: 'providerSlug', message: 'is already in use' }]);
  }
}

export class InvalidIntegration extends DomainError {
  readonly kind = 'invalid' as const;
  readonly type = 'invalid-integration';
  constructor(errors: FieldError[]) {
    super(`The integration is invalid: ${errors.map((e) => `${e.field} ${e.message.replace(/\.$/, '')}`).join('; ')}.`, errors);
  }
}

export class ProviderImmutable extends DomainError {
  readonly kind = 'invalid' as const;
  readonly type = 'provider-immutable';
  constructor() {
    super('The provider of an integration cannot be changed; create a new integration for another provider.', [
      { field: 'provider', message: 'cannot be changed after creation' },
    ]);
  }
}

export class ProbeUnsupported extends DomainError {
  readonly kind = 'invalid' as const;
  readonly type = 'probe-unsupported';
  constructor(provider: string) {
    super(`Testing ${provider} credentials against the provider is not supported yet.`);
  }
}
