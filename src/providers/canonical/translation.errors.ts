import { DomainError, type FieldError } from '../../platform/errors/domain-error';
import { ProviderError } from './provider-error';

/**
 * The caller sent a parameter the target provider cannot honour. Named by the caller's own
 * field path so the caller knows what to remove; never silently dropped or altered.
 */
export class UnsupportedParameter extends DomainError {
  readonly kind = 'invalid' as const;
  readonly type = 'unsupported-parameter';
  declare readonly errors: FieldError[];

  constructor(errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }

  static of(field: string, message: string): UnsupportedParameter {
    return new UnsupportedParameter([{ field, message }]);
  }
}

/** The provider answered 2xx with a body or chunk the translator cannot read. */
export class InvalidProviderResponse extends ProviderError {
  constructor(message: string) {
    super({ kind: 'upstream', status: 502, message: `Invalid provider response: ${message}`, retryable: false });
  }
}
