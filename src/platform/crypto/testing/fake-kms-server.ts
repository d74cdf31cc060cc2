import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export type FakeKmsOptions = {
  region?: string;
  accountId?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
};

export type FakeKmsCall = { operation: 'Encrypt' | 'Decrypt'; keyArn: string };

type KmsKey = { uuid: string; arn: string; material: Buffer };
type KmsFault = { type: string; status: number };
type KmsReply = { status: number; body: Record<string, unknown> };

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const BLOB_VERSION = 1;
const UUID_LENGTH = 36;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * A loopback stand-in for AWS KMS speaking its JSON 1.1 protocol (Encrypt and Decrypt). Like
 * the real service it checks the SigV4 signature of every request against its one access key.
 * Ciphertext blobs are opaque to clients, as in KMS, and name the key that made them.
 */
export class FakeKmsServer {
  readonly calls: FakeKmsCall[] = [];
  readonly region: string;
  readonly accountId: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  private readonly keys = new Map<string, KmsKey>();
  private readonly aliases = new Map<string, string>();
  private fault: KmsFault | undefined;

  private constructor(
    private readonly server: Server,
    options: FakeKmsOptions,
  ) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '111122223333';
    this.credentials = {
      accessKeyId: options.accessKeyId ?? 'AKIAKEYWAYFAKEKMS000',
      secretAccessKey: options.secretAccessKey ?? 'fake-kms-secret-access-key',
    };
  }

  static async start(options: FakeKmsOptions = {}): Promise<FakeKmsServer> {
    const server = createServer();
    const fake = new FakeKmsServer(server, options);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return fake;
  }

  get endpoint(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Creates a symmetric key, optionally with an alias such as `alias/keyway`; returns its ARN. */
  createKey(alias?: string): string {
    const uuid = randomUUID();
    const arn = `arn:aws:kms:${this.region}:${this.accountId}:key/${uuid}`;
    this.keys.set(uuid, { uuid, arn, material: randomBytes(32) });
    if (alias) this.aliases.set(alias, uuid);
    return arn;
  }

  /** Every following request fails with this KMS error until `recover()`. */
  failWith(type: string, status = 400): void {
    this.fault = { type, status };
  }

  recover(): void {
    this.fault = undefined;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const reply = this.replySafely(req, body);
    res.writeHead(reply.status, { 'content-type': CONTENT_TYPE });
    res.end(JSON.stringify(reply.body));
  }

  private replySafely(req: IncomingMessage, body: Buffer): KmsReply {
    try {
      return this.reply(req, body);
    } catch {
      return kmsError('KMSInternalException', 'the fake KMS failed on this request', 500);
    }
  }

  private reply(req: IncomingMessage, body: Buffer): KmsReply {
    if (req.method !== 'POST' || req.headers['content-type'] !== CONTENT_TYPE) {
      return kmsError('SerializationException', 'expected a POST of application/x-amz-json-1.1');
    }
    const authFailure = this.checkSignature(req, body);
    if (authFailure) return authFailure;
    if (this.fault) return kmsError(this.fault.type, 'injected failure', this.fault.status);
    const input = parseJson(body);
    if (!input) return kmsError('SerializationException', 'body is not a JSON object');
    switch (req.headers['x-amz-target']) {
      case 'TrentService.Encrypt':
        return this.encrypt(input);
      case 'TrentService.Decrypt':
        return this.decrypt(input);
      default:
        return kmsError('UnknownOperationException', 'unknown operation');
    }
  }

  private encrypt(input: Record<string, unknown>): KmsReply {
    const key = this.resolve(input.KeyId);
    if (!key) return kmsError('NotFoundException', 'key not found');
    if (typeof input.Plaintext !== 'string') return kmsError('ValidationException', 'Plaintext is required');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key.material, iv);
    cipher.setAAD(Buffer.from(key.uuid));
    const ct = Buffer.concat([cipher.update(Buffer.from(input.Plaintext, 'base64')), cipher.final()]);
    const blob = Buffer.concat([Buffer.from([BLOB_VERSION]), Buffer.from(key.uuid), iv, cipher.getAuthTag(), ct]);
    this.calls.push({ operation: 'Encrypt', keyArn: key.arn });
    return ok({ CiphertextBlob: blob.toString('base64'), KeyId: key.arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
  }

  private decrypt(input: Record<string, unknown>): KmsReply {
    if (typeof input.CiphertextBlob !== 'string') return kmsError('ValidationException', 'CiphertextBlob is required');
    const blob = Buffer.from(input.CiphertextBlob, 'base64');
    const key = this.keys.get(blob.subarray(1, 1 + UUID_LENGTH).toString());
    if (blob[0] !== BLOB_VERSION || !key || blob.length < 1 + UUID_LENGTH + IV_BYTES + TAG_BYTES) {
      return kmsError('InvalidCiphertextException', 'invalid ciphertext');
    }
    if (input.KeyId !== undefined && this.resolve(input.KeyId) !== key) {
      return kmsError('IncorrectKeyException', 'the ciphertext was not encrypted under the given key');
    }
    const start = 1 + UUID_LENGTH;
    const decipher = createDecipheriv('aes-256-gcm', key.material, blob.subarray(start, start + IV_BYTES));
    decipher.setAAD(Buffer.from(key.uuid));
    decipher.setAuthTag(blob.subarray(start + IV_BYTES, start + IV_BYTES + TAG_BYTES));
    try {
      const plaintext = Buffer.concat([decipher.update(blob.subarray(start + IV_BYTES + TAG_BYTES)), decipher.final()]);
      this.calls.push({ operation: 'Decrypt', keyArn: key.arn });
      return ok({ KeyId: key.arn, Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    } catch {
      return kmsError('InvalidCiphertextException', 'invalid ciphertext');
    }
  }

  private resolve(keyId: unknown): KmsKey | undefined {
    if (typeof keyId !== 'string') return undefined;
    const aliasArnPrefix = `arn:aws:kms:${this.region}:${this.accountId}:`;
    const reference = keyId.startsWith(`${aliasArnPrefix}alias/`) ? keyId.slice(aliasArnPrefix.length) : keyId;
    const uuid = this.aliases.get(reference) ?? reference.replace(`${aliasArnPrefix}key/`, '');
    return this.keys.get(uuid);
  }

  /** SigV4 as AWS checks it: rebuild the canonical request from the signed headers and compare. */
  private checkSignature(req: IncomingMessage, body: Buffer): KmsReply | undefined {
    const auth = parseAuthorization(req.headers.authorization);
    if (!auth) return kmsError('MissingAuthenticationTokenException', 'missing or malformed Authorization', 400);
    const [accessKeyId, date, region, service, terminator] = auth.credential.split('/');
    if (accessKeyId !== this.credentials.accessKeyId) {
      return kmsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    const amzDate = req.headers['x-amz-date'];
    if (region !== this.region || service !== 'kms' || terminator !== 'aws4_request' || typeof amzDate !== 'string') {
      return kmsError('InvalidSignatureException', 'credential scope does not match');
    }
    const canonicalHeaders = auth.signedHeaders.map((name) => `${name}:${headerValue(req, name)}\n`).join('');
    const canonicalRequest = [
      'POST',
      new URL(req.url ?? '/', 'http://localhost').pathname,
      '',
      canonicalHeaders,
      auth.signedHeaders.join(';'),
      sha256Hex(body),
    ].join('\n');
    const scope = `${date}/${region}/${service}/${terminator}`;
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(Buffer.from(canonicalRequest))].join('\n');
    const signingKey = [date, region, service, terminator].reduce<Buffer>(
      (key, part) => hmac(key, part),
      Buffer.from(`AWS4${this.credentials.secretAccessKey}`),
    );
    const expected = hmac(signingKey, stringToSign);
    const given = Buffer.from(auth.signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return kmsError('InvalidSignatureException', 'The request signature we calculated does not match.');
    }
    return undefined;
  }
}

type Authorization = { credential: string; signedHeaders: string[]; signature: string };

function parseAuthorization(header: string | undefined): Authorization | undefined {
  const match = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
    header ?? '',
  );
  if (!match) return undefined;
  return { credential: match[1], signedHeaders: match[2].split(';'), signature: match[3] };
}

function headerValue(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined.trim().replace(/\s+/g, ' ');
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function ok(body: Record<string, unknown>): KmsReply {
  return { status: 200, body };
}

function kmsError(type: string, message: string, status = 400): KmsReply {
  return { status, body: { __type: type, message } };
}

function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}
