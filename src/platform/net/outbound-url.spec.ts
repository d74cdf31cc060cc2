import { assertOutboundUrl, checkOutboundUrl, HostLookup } from './outbound-url';
import { UnsafeHost } from './net.errors';

const resolvingTo =
  (table: Record<string, string[]>): HostLookup =>
  async (host) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses;
  };

const lookup = resolvingTo({
  'llm.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'sneaky.example.com': ['127.0.0.1'],
  'split.example.com': ['93.184.215.14', '10.0.0.5'],
  'metadata.example.com': ['169.254.169.254'],
  'ula.example.com': ['fd00::1'],
  'empty.example.com': [],
});

const strict = { allowPrivate: false, lookup };
const relaxed = { allowPrivate: true, lookup };

async function reasonFor(raw: string, opts = strict): Promise<string> {
  const verdict = await checkOutboundUrl(raw, opts);
  if (verdict.ok) throw new Error(`${raw} was accepted`);
  return verdict.reason;
}

describe('checkOutboundUrl', () => {
  it.each([
    ['http://127.0.0.1', /127\.0\.0\.1 is a loopback address; set KEYWAY_ALLOW_PRIVATE_HOSTS=true/],
    ['http://127.0.0.1:8080/v1', /loopback/],
    ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a metadata address/],
    ['http://[::1]:11434', /::1 is a loopback address/],
    ['http://10.0.0.1', /10\.0\.0\.1 is a private address/],
    ['http://100.64.1.1', /CGNAT/],
    ['http://169.254.10.1', /link-local/],
    ['http://224.0.0.1', /multicast/],
    ['http://0.0.0.0:80', /reserved/],
    ['http://[fd00:ec2::254]', /metadata/],
    ['http://[::ffff:127.0.0.1]', /::ffff:7f00:1 is a loopback address/],
    ['http://[::ffff:7f00:1]', /loopback/],
    ['http://2130706433/', /127\.0\.0\.1 is a loopback address/],
    ['http://0x7f.1/', /127\.0\.0\.1 is a loopback address/],
    ['http://017700000001/', /127\.0\.0\.1 is a loopback address/],
    ['http://127.1/', /127\.0\.0\.1 is a loopback address/],
    ['http://0/', /0\.0\.0\.0 is a reserved address/],
    ['http://localhost:11434', /localhost is a loopback host/],
    ['http://LocalHost./', /localhost\. is a loopback host/],
    ['http://ollama.localhost', /loopback host/],
    ['http://metadata.google.internal/computeMetadata/v1/', /metadata\.google\.internal is a cloud metadata host/],
    ['http://sneaky.example.com', /sneaky\.example\.com resolves to a loopback address; set KEYWAY_ALLOW_PRIVATE_HOSTS=true to allow private hosts\./],
    ['https://split.example.com', /resolves to a private address/],
    ['https://metadata.example.com', /a metadata address/],
    ['https://ula.example.com', /resolves to a private address/],
  ])('a user cannot point an endpoint at %s', async (raw, reason) => {
    expect(await reasonFor(raw)).toMatch(reason);
  });

  it.each([
    ['ftp://llm.example.com/', 'The URL must use http or https.'],
    ['file:///etc/passwd', 'The URL must use http or https.'],
    ['gopher://llm.example.com/', 'The URL must use http or https.'],
    ['https://user:secret@llm.example.com/', 'The URL must not contain a username or password.'],
    ['https://user@llm.example.com/', 'The URL must not contain a username or password.'],
    ['not a url', 'The URL is not valid.'],
    ['', 'The URL is not valid.'],
    ['http://', 'The URL is not valid.'],
    ['http://1.2.3.4.5/', 'The URL is not valid.'],
  ])('%s is refused whatever the operator allows', async (raw, reason) => {
    expect(await reasonFor(raw, strict)).toBe(reason);
    expect(await reasonFor(raw, relaxed)).toBe(reason);
  });

  it.each(['https://nowhere.example.com', 'https://empty.example.com'])(
    'a name that does not resolve is refused (%s)',
    async (raw) => {
      expect(await reasonFor(raw)).toBe(`${new URL(raw).hostname} does not resolve.`);
    },
  );

  it.each(['https://llm.example.com/v1', 'http://llm.example.com:8080', 'https://8.8.8.8/', 'https://[2606:4700::1111]/v1'])(
    'a public endpoint %s is accepted',
    async (raw) => {
      const verdict = await checkOutboundUrl(raw, strict);
      expect(verdict).toEqual({ ok: true, url: new URL(raw) });
    },
  );

  it.each([
    'http://127.0.0.1:11434',
    'http://[::1]',
    'http://10.0.0.1',
    'http://169.254.169.254',
    'http://2130706433/',
    'http://localhost:11434',
    'http://sneaky.example.com',
    'http://split.example.com',
  ])('the operator can allow private hosts such as %s', async (raw) => {
    const verdict = await checkOutboundUrl(raw, relaxed);
    expect(verdict.ok).toBe(true);
  });

  it('does not resolve names when private hosts are allowed', async () => {
    const spy = jest.fn(lookup);
    await checkOutboundUrl('http://nowhere.example.com', { allowPrivate: true, lookup: spy });
    expect(spy).not.toHaveBeenCalled();
  });

  it('checks every address a name resolves to', async () => {
    const spy = jest.fn(lookup);
    await checkOutboundUrl('https://split.example.com', { allowPrivate: false, lookup: spy });
    expect(spy).toHaveBeenCalledWith('split.example.com');
  });
});

describe('assertOutboundUrl', () => {
  it('names the field when refusing a host', async () => {
    const error = await assertOutboundUrl('http://127.0.0.1', 'customHost', strict).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafeHost);
    expect(error).toMatchObject({
      kind: 'invalid',
      type: 'unsafe-host',
      errors: [{ field: 'customHost', message: expect.stringMatching(/loopback/) }],
    });
  });

  it('returns the parsed URL of an acceptable host', async () => {
    await expect(assertOutboundUrl('https://llm.example.com/v1', 'endpointUrl', strict)).resolves.toEqual(
      new URL('https://llm.example.com/v1'),
    );
  });
});
