import { DecryptCommand, EncryptCommand, KMSClient, KMSClientConfig } from '@aws-sdk/client-kms';
import { CredentialUnreadable, KeyEncryptionUnavailable, UnknownMasterKey } from './crypto.errors';
import { KeyEncryption, WrappedKey } from './key-encryption.port';

export const AWS_KMS_KEK_PREFIX = 'aws-kms:';

export type AwsKmsConfig = {
  /** Key ARN (recommended: it is what KMS reports back), key id, alias name or alias ARN. */
  keyId: string;
  region: string;
  endpoint?: string;
  credentials?: KMSClientConfig['credentials'];
  maxAttempts?: number;
};

/** KMS says the blob is not a ciphertext of the named key: the stored wrapped key was altered or moved. */
const UNREADABLE_ERRORS = new Set(['InvalidCiphertextException', 'IncorrectKeyException']);
const CONNECTION_TIMEOUT_MS = 3_000;
const REQUEST_TIMEOUT_MS = 10_000;

/** Wraps data keys with an AWS KMS symmetric key; kekIds are `aws-kms:<key ARN as KMS reports it>`. */
export class AwsKmsKeyEncryption implements KeyEncryption {
  private resolvedKeyId: string | undefined;

  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  static fromConfig({ keyId, ...client }: AwsKmsConfig): AwsKmsKeyEncryption {
    const kms = new KMSClient({
      ...client,
      requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    });
    return new AwsKmsKeyEncryption(kms, keyId);
  }

  /**
   * The configured key until the first Encrypt reports its ARN; configure the key ARN so that
   * it is stable from the start and a rewrap run skips keys already under it.
   */
  get activeKekId(): string {
    return `${AWS_KMS_KEK_PREFIX}${this.resolvedKeyId ?? this.keyId}`;
  }

  async wrap(dataKey: Uint8Array): Promise<WrappedKey> {
    const out = await this.call('Encrypt', () =>
      this.kms.send(new EncryptCommand({ KeyId: this.keyId, Plaintext: dataKey })),
    );
    if (!out.CiphertextBlob) throw new KeyEncryptionUnavailable('AWS KMS Encrypt returned no ciphertext');
    if (out.KeyId) this.resolvedKeyId = out.KeyId;
    return { kekId: `${AWS_KMS_KEK_PREFIX}${out.KeyId ?? this.keyId}`, ciphertext: out.CiphertextBlob };
  }

  async unwrap(wrapped: WrappedKey): Promise<Uint8Array> {
    if (!wrapped.kekId.startsWith(AWS_KMS_KEK_PREFIX)) {
      throw new UnknownMasterKey(wrapped.kekId, 'this deployment encrypts keys with AWS KMS');
    }
    const keyId = wrapped.kekId.slice(AWS_KMS_KEK_PREFIX.length);
    const out = await this.call('Decrypt', () =>
      this.kms.send(new DecryptCommand({ KeyId: keyId, CiphertextBlob: wrapped.ciphertext })),
    );
    if (!out.Plaintext) throw new KeyEncryptionUnavailable('AWS KMS Decrypt returned no plaintext');
    return out.Plaintext;
  }

  /** Only the error's name and HTTP status leave here: SDK messages may quote request data. */
  private async call<T>(operation: 'Encrypt' | 'Decrypt', send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const reason = describe(error);
      if (UNREADABLE_ERRORS.has(reason.name)) throw new CredentialUnreadable();
      throw new KeyEncryptionUnavailable(`AWS KMS ${operation} failed: ${reason.text}`);
    }
  }
}

function describe(error: unknown): { name: string; text: string } {
  if (typeof error !== 'object' || error === null) return { name: 'unknown', text: 'unknown error' };
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const errorName = 'name' in error && typeof error.name === 'string' ? error.name : 'Error';
  const name = code && errorName === 'Error' ? code : errorName;
  const status = httpStatusOf(error);
  return { name, text: status === undefined ? name : `${name} (HTTP ${status})` };
}

function httpStatusOf(error: object): number | undefined {
  if (!('$metadata' in error) || typeof error.$metadata !== 'object' || error.$metadata === null) return undefined;
  const status = (error.$metadata as { httpStatusCode?: unknown }).httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}
