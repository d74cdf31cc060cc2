import { DomainError } from '../../../platform/errors/domain-error';

/** Nothing can serve the request; the message names the model and every reason, within the caller's own organization. */
export class NoRouteAvailable extends DomainError {
  readonly kind;
  readonly type = 'no-route';
  readonly retryAfterSeconds?: number;

  constructor(model: string, reasons: string[], kind: 'not_found' | 'rate_limited' | 'unavailable', retryAfterSeconds?: number) {
    super(`No integration can serve model "${model}": ${reasons.join('; ')}.`);
    this.kind = kind;
    if (retryAfterSeconds !== undefined) this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class AmbiguousModel extends DomainError {
  readonly kind = 'invalid' as const;
  readonly type = 'ambiguous-model';
  constructor(model: string, options: string[]) {
    super(`Model "${model}" is offered by several providers; name one of: ${options.join(', ')}.`, [{ field: 'model', message: 'is ambiguous; use provider/model' }]);
  }
}
