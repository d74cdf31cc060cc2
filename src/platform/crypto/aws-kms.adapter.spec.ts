import { KMSClient } from '@aws-sdk/client-kms';
import { CredentialUnreadable, KeyEncryptionUnavailable, UnknownMasterKey } from './crypto.errors';
import { AwsKmsKeyEncryption } from './aws-kms.adapter';
import { openSecret, sealSecret } from './envelope';
import { FakeKmsServer } from './testing/fake-kms-server';

describe('AwsKmsKeyEncryption', () => {
  let kms: FakeKmsServer;
  let keyArn: string;

  beforeAll(async () => {
    kms = await FakeKmsServer.start();
    keyArn = kms.createKey('alias/keyway');
  });
  afterAll(() => kms.close());
  afterEach(() => kms.recover());

  function adapter(keyId = keyArn, credentials = kms.credentials): AwsKmsKeyEncryption {
    return AwsKmsKeyEncryption.fromConfig({
      keyId,
      region: kms.region,
      endpoint: kms.endpoint,
      credentials,
      maxAttempts: 1,
    });
  }

  it('wraps and unwraps a data key through KMS Encrypt and Decrypt', async () => {
    const keys = adapter();
    const dataKey = Uint8Array.from({ length: 32 }, (_, i) => i);

    const wrapped = await keys.wrap(dataKey);

    expect(wrapped.kekId).toBe(`aws-kms:${keyArn}`);
    expect(Buffer.from(wrapped.ciphertext).includes(Buffer.from(dataKey))).toBe(false);
    expect(Buffer.from(await keys.unwrap(wrapped))).toEqual(Buffer.from(dataKey));
    expect(kms.calls.slice(-2)).toEqual([
      { operation: 'Encrypt', keyArn },
      { operation: 'Decrypt', keyArn },
    ]);
  });

  it('names wrapped keys by the key ARN KMS reports when configured with an alias', async () => {
    const keys = adapter('alias/keyway');
    expect(keys.activeKekId).toBe('aws-kms:alias/keyway');

    const wrapped = await keys.wrap(new Uint8Array(32));

    expect(wrapped.kekId).toBe(`aws-kms:${keyArn}`);
    expect(keys.activeKekId).toBe(`aws-kms:${keyArn}`);
  });

  it('seals and opens a credential with data keys wrapped by KMS', async () => {
    const keys = adapter();
    const context = { organizationId: 'org-1', integrationId: 'int-1' };

    const sealed = await sealSecret('sk-live-kms-secret', context, keys);

    expect(await openSecret(sealed, context, adapter())).toBe('sk-live-kms-secret');
  });

  it('reports KMS refusing the call as key encryption unavailable, without the data key', async () => {
    kms.failWith('DisabledException');
    const dataKey = Buffer.alloc(32, 0xab);

    const failure = await adapter().wrap(dataKey).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(KeyEncryptionUnavailable);
    expect((failure as Error).message).toBe('AWS KMS Encrypt failed: DisabledException (HTTP 400)');
    expect((failure as Error).message).not.toContain(dataKey.toString('base64'));
  });

  it('reports a KMS internal error as key encryption unavailable', async () => {
    kms.failWith('KMSInternalException', 500);

    await expect(adapter().wrap(new Uint8Array(32))).rejects.toThrow(KeyEncryptionUnavailable);
  });

  it('is refused by KMS when signing with unknown credentials', async () => {
    const keys = adapter(keyArn, { accessKeyId: 'AKIAOTHER', secretAccessKey: 'other-secret' });

    await expect(keys.wrap(new Uint8Array(32))).rejects.toThrow(
      new KeyEncryptionUnavailable('AWS KMS Encrypt failed: UnrecognizedClientException (HTTP 400)'),
    );
  });

  it('is refused by KMS when the signature does not match the secret key', async () => {
    const keys = adapter(keyArn, { accessKeyId: kms.credentials.accessKeyId, secretAccessKey: 'wrong-secret' });

    await expect(keys.wrap(new Uint8Array(32))).rejects.toThrow(
      new KeyEncryptionUnavailable('AWS KMS Encrypt failed: InvalidSignatureException (HTTP 400)'),
    );
  });

  it('reports an unreachable KMS as key encryption unavailable', async () => {
    const down = await FakeKmsServer.start();
    const endpoint = down.endpoint;
    await down.close();
    const keys = AwsKmsKeyEncryption.fromConfig({
      keyId: keyArn,
      region: kms.region,
      endpoint,
      credentials: kms.credentials,
      maxAttempts: 1,
    });

    const failure = await keys.wrap(new Uint8Array(32)).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(KeyEncryptionUnavailable);
    expect((failure as Error).message).toMatch(/^AWS KMS Encrypt failed: /);
  });

  it('treats a tampered wrapped key as an unreadable credential', async () => {
    const keys = adapter();
    const wrapped = await keys.wrap(new Uint8Array(32));
    const ciphertext = Buffer.from(wrapped.ciphertext);
    ciphertext[ciphertext.length - 1] ^= 0x01;

    await expect(keys.unwrap({ ...wrapped, ciphertext })).rejects.toThrow(CredentialUnreadable);
  });

  it('treats a wrapped key relabelled to another KMS key as an unreadable credential', async () => {
    const otherArn = kms.createKey();
    const wrapped = await adapter().wrap(new Uint8Array(32));

    await expect(adapter().unwrap({ ...wrapped, kekId: `aws-kms:${otherArn}` })).rejects.toThrow(
      CredentialUnreadable,
    );
  });

  it('refuses a data key wrapped by the local keyring', async () => {
    await expect(adapter().unwrap({ kekId: 'local:v1', ciphertext: new Uint8Array(60) })).rejects.toThrow(
      UnknownMasterKey,
    );
  });

  it('accepts a KMSClient built by the caller', async () => {
    const client = new KMSClient({
      region: kms.region,
      endpoint: kms.endpoint,
      credentials: kms.credentials,
    });
    const keys = new AwsKmsKeyEncryption(client, keyArn);

    const wrapped = await keys.wrap(new Uint8Array(32).fill(7));

    expect(Buffer.from(await keys.unwrap(wrapped))).toEqual(Buffer.alloc(32, 7));
    client.destroy();
  });
});
