import { DomainError } from '../errors/domain-error';

/** The key-encryption backend (KMS, keyring) could not be reached or refused the operation. */
export class KeyEncryptionUnavailable extends DomainError {
  readonly kind = 'unavailable' as const;
  readonly type = 'key-encryption-unavailable';
}

/** A wrapped data key names a key-encryption key that this deployment does not hold. */
export class UnknownMasterKey extends DomainError {
  readonly kind = 'unavailable' as const;
  readonly type = 'unknown-master-key';

  constructor(
    readonly kekId: string,
    remedy = 'add it to KEYWAY_MASTER_KEYS',
  ) {
    super(`master key ${kekId} is not configured; ${remedy}`);
  }
}

/**
 * A sealed secret or its wrapped data key failed authentication: it was altered, or it was
 * copied from another row. The message is fixed so that nothing secret can reach it.
 */
export class CredentialUnreadable extends DomainError {
  readonly kind = 'unavailable' as const;
  readonly type = 'credential-unreadable';

  constructor(
    message = 'The stored credential cannot be decrypted: it was altered or belongs to another integration.',
  ) {
    super(message);
  }
}
