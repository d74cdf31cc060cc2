/**
 * Base of every error thrown below the API layer. The global problem-details filter maps
 * `kind` to an HTTP status and renders `type` as the problem type; nothing below `api/`
 * throws an HttpException.
 */
export type DomainErrorKind =
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'invalid'
  | 'unauthenticated'
  | 'unavailable'
  | 'rate_limited'
  | 'payload_too_large';

export type FieldError = { field: string; message: string };

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  /** A short kebab-case slug; rendered as the problem `type` (`/problems/<type>`). */
  abstract readonly type: string;
  /** Field-level details for `invalid` errors. */
  readonly errors?: FieldError[];

  constructor(message: string, errors?: FieldError[]) {
    super(message);
    this.name = new.target.name;
    if (errors) this.errors = errors;
  }
}

/** A request value is invalid; names the field(s). */
export class ValidationFailed extends DomainError {
  readonly kind = 'invalid' as const;
  readonly type = 'validation-failed';
  constructor(errors: FieldError[], message = 'The request is invalid.') {
    super(message, errors);
  }
}
