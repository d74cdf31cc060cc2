import { DomainError } from '../errors/domain-error';
import { AddressClass } from './address-policy';

/** A user-supplied endpoint URL may not be used; `errors` names the field and why. */
export class UnsafeHost extends DomainError {
  readonly kind = 'invalid' as const;
  readonly type = 'unsafe-host';
  constructor(field: string, reason: string) {
    super('The host is not allowed.', [{ field, message: reason }]);
  }
}

/**
 * A connection refused by the guarded dispatcher because the host is, or resolves to, a
 * blocked address. Surfaces like a socket error (ECONNREFUSED and friends) from undici; the
 * message names the host and the class of address, the address itself is kept for logs.
 */
export class BlockedAddress extends Error {
  readonly code = 'EKEYWAY_BLOCKED_ADDRESS';
  constructor(
    readonly hostname: string,
    readonly address: string,
    readonly addressClass: AddressClass,
  ) {
    super(
      hostname === address
        ? `Refused to connect to ${addressClass} address ${hostname}`
        : `Refused to connect to ${hostname}: it resolves to a ${addressClass} address`,
    );
    this.name = 'BlockedAddress';
  }
}
