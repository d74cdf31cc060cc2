import { DomainError } from '../../../platform/errors/domain-error';

export class ActivityNotFound extends DomainError {
  readonly kind = 'not_found' as const;
  readonly type = 'activity-not-found';
  constructor() {
    super('Activity record not found.');
  }
}
