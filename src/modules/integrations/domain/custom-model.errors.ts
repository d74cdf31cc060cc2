import { DomainError, FieldError } from '../../../platform/errors/domain-error';

export class CustomModelNotFound extends DomainError {
  readonly kind = 'not_found' as const;
  readonly type = 'custom-model-not-found';
  constructor(modelSlug: string) {
    super(`The integration has no custom model "${modelSlug}".`);
  }
}

/** Two custom models of one integration cannot share a `modelSlug`. */
export class CustomModelSlugTaken extends DomainError {
  readonly kind = 'conflict' as const;
  readonly type = 'custom-model-slug-taken';
  constructor(modelSlug: string) {
    super(`The integration already has a custom model "${modelSlug}".`, [{ field: 'modelSlug', message: 'is already used by another custom model of this integration' }]);
  }
}

export class InvalidCustomModel extends DomainError {
  readonly kind = 'invalid' as const;
  readonly type = 'invalid-custom-model';
  constructor(errors: FieldError[]) {
    super(`The custom model is invalid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}.`, errors);
  }
}
