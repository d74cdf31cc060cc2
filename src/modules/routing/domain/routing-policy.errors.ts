import { DomainError, FieldError } from '../../../platform/errors/domain-error';

export class VirtualModelNotFound extends DomainError {
  readonly kind = 'not_found' as const;
  readonly type = 'virtual-model-not-found';
  constructor() {
    super('Virtual model not found.');
  }
}

export class GatewayConfigNotFound extends DomainError {
  readonly kind = 'not_found' as const;
  readonly type = 'gateway-config-not-found';
  constructor() {
    super('Gateway config not found.');
  }
}

export class InvalidRoutingPolicy extends DomainError {
  readonly kind = 'invalid' as const;
  readonly type = 'validation-failed';
  constructor(errors: FieldError[]) {
    super(`The request is invalid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}.`, errors);
  }
}

/** Names are unique per project, among virtual models and among gateway configs. */
export class RoutingPolicyNameTaken extends DomainError {
  readonly kind = 'conflict' as const;
  readonly type = 'name-taken';
  constructor(what: 'virtual model' | 'gateway config', name: string) {
    super(`This project already has a ${what} named "${name}".`, [{ field: 'name', message: 'is already in use in this project' }]);
  }
}

export class GatewayConfigInUse extends DomainError {
  readonly kind = 'conflict' as const;
  readonly type = 'gateway-config-in-use';
  constructor(name: string, virtualModels: readonly string[]) {
    super(`The gateway config "${name}" is used by the virtual model(s) ${virtualModels.map((n) => `"${n}"`).join(', ')}; point them elsewhere first.`);
  }
}

/** `x-keyway-config` names no gateway config of the key's project. */
export class UnknownGatewayConfig extends DomainError {
  readonly kind = 'invalid' as const;
  readonly type = 'unknown-gateway-config';
  constructor(name: string) {
    super(`The x-keyway-config header names "${name}", which is not a gateway config of this project.`, [{ field: 'x-keyway-config', message: 'is not a gateway config of this project' }]);
  }
}
