import { DomainError } from '../../../platform/errors/domain-error';

/** The catalog data breaks its schema or its cross-checks; the gateway cannot start on it. */
export class CatalogInvalid extends DomainError {
  readonly kind = 'invalid' as const;
  readonly type = 'catalog-invalid';
  readonly problems: readonly string[];

  constructor(source: string, problems: readonly string[]) {
    super(`${source} is invalid: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

export class UnknownProvider extends DomainError {
  readonly kind = 'not_found' as const;
  readonly type = 'unknown-provider';
  constructor(provider: string) {
    super(`Unknown provider "${provider}".`);
  }
}

export class UnknownModel extends DomainError {
  readonly kind = 'not_found' as const;
  readonly type = 'unknown-model';
  constructor(model: string) {
    super(`Unknown model "${model}".`);
  }
}

/** A provisioning change toggles catalog models that the integration's provider does not offer. */
export class ModelsNotOfferedByProvider extends DomainError {
  readonly kind = 'invalid' as const;
  readonly type = 'models-not-offered';
  readonly slugs: readonly string[];

  constructor(slugs: readonly string[]) {
    super(
      `The integration's provider offers no catalog model ${slugs.map((slug) => `"${slug}"`).join(', ')}.`,
      slugs.map((slug) => ({ field: `models.${slug}`, message: "is not a catalog model of the integration's provider" })),
    );
    this.slugs = slugs;
  }
}
