/**
 * A data key wrapped (encrypted) by a key-encryption key (KEK). `kekId` names the KEK and its
 * version, e.g. `local:v2` or `aws-kms:arn:aws:kms:…:key/…`, so the key can be unwrapped after
 * the active KEK has changed.
 */
export type WrappedKey = { kekId: string; ciphertext: Uint8Array };

/**
 * Wraps data keys with an operator-controlled key-encryption key (KEK). Secrets themselves are
 * never sent here: only the random per-secret data keys of the envelope.
 *
 * Failures:
 * - `UnknownMasterKey` when a wrapped key names a KEK this backend does not hold;
 * - `CredentialUnreadable` when a wrapped key fails authentication under its KEK;
 * - `KeyEncryptionUnavailable` when the backend cannot be reached or refuses the call.
 */
export abstract class KeyEncryption {
  /** Encrypts `dataKey` under the active KEK. */
  abstract wrap(dataKey: Uint8Array): Promise<WrappedKey>;

  /** Decrypts a wrapped data key under the KEK it names. The caller owns and zeroes the result. */
  abstract unwrap(wrapped: WrappedKey): Promise<Uint8Array>;

  /** The `kekId` that `wrap` stamps on new wrapped keys; anything else is due for re-wrapping. */
  abstract readonly activeKekId: string;
}
