import { createServer, Server } from 'node:http';
import { AddressInfo, isIP, LookupFunction } from 'node:net';
import { LookupAddress } from 'node:dns';
import { Agent, request } from 'undici';
import { createGuardedAgent, createGuardedLookup, isRedirect } from './guarded-dispatcher';
import { BlockedAddress } from './net.errors';

const lookupTo =
  (...addresses: string[]): LookupFunction =>
  (_hostname, options, callback) => {
    const all = addresses.map((address) => ({ address, family: isIP(address) }));
    if (options.all) callback(null, all);
    else callback(null, all[0].address, all[0].family);
  };

describe('guarded agent', () => {
  let server: Server;
  let port: number;
  let connections: number;
  let requests: string[];
  let agent: Agent | undefined;

  beforeEach(async () => {
    connections = 0;
    requests = [];
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url === '/redirect') {
        res.writeHead(302, { location: `http://127.0.0.1:${port}/target` }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`hit ${req.url}`);
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    await agent?.close();
    agent = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function get(url: string, headers: Record<string, string> = {}) {
    const res = await request(url, { dispatcher: agent, headers });
    return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
  }

  it('refuses an upstream on a loopback IP literal', async () => {
    agent = createGuardedAgent({ allowPrivate: false });
    const error = await get(`http://127.0.0.1:${port}/v1/chat`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlockedAddress);
    expect(error).toMatchObject({ code: 'EKEYWAY_BLOCKED_ADDRESS', addressClass: 'loopback' });
    expect(connections).toBe(0);
  });

  it.each(['[::1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]'])('refuses an upstream on the IPv6 literal %s', async (host) => {
    agent = createGuardedAgent({ allowPrivate: false });
    await expect(get(`http://${host}:${port}/`)).rejects.toMatchObject({ code: 'EKEYWAY_BLOCKED_ADDRESS' });
    expect(connections).toBe(0);
  });

  it('refuses a name that resolves to loopback at connect time', async () => {
    const lookup = jest.fn(lookupTo('127.0.0.1'));
    agent = createGuardedAgent({ allowPrivate: false, lookup });
    const error = await get(`http://upstream.example.com:${port}/`, { authorization: 'Bearer sk-very-secret' }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'EKEYWAY_BLOCKED_ADDRESS', address: '127.0.0.1', addressClass: 'loopback' });
    expect((error as Error).message).toBe('Refused to connect to upstream.example.com: it resolves to a loopback address');
    expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain('sk-very-secret');
    expect(lookup).toHaveBeenCalled();
    expect(connections).toBe(0);
  });

  it('checks names on https connections too', async () => {
    agent = createGuardedAgent({ allowPrivate: false, lookup: lookupTo('127.0.0.1') });
    await expect(get(`https://upstream.example.com:${port}/`)).rejects.toMatchObject({
      code: 'EKEYWAY_BLOCKED_ADDRESS',
    });
    expect(connections).toBe(0);
  });

  it('refuses localhost by name without resolving it', async () => {
    const lookup = jest.fn(lookupTo('127.0.0.1'));
    agent = createGuardedAgent({ allowPrivate: false, lookup });
    await expect(get(`http://localhost:${port}/`)).rejects.toMatchObject({ code: 'EKEYWAY_BLOCKED_ADDRESS' });
    expect(lookup).not.toHaveBeenCalled();
    expect(connections).toBe(0);
  });

  it('reaches a loopback upstream when the operator allows private hosts', async () => {
    agent = createGuardedAgent({ allowPrivate: true });
    await expect(get(`http://127.0.0.1:${port}/v1/chat`)).resolves.toMatchObject({ status: 200, body: 'hit /v1/chat' });
  });

  it('reaches a name resolving to loopback when the operator allows private hosts', async () => {
    agent = createGuardedAgent({ allowPrivate: true, lookup: lookupTo('127.0.0.1') });
    await expect(get(`http://upstream.example.com:${port}/v1/chat`)).resolves.toMatchObject({ status: 200 });
  });

  it('returns a redirect as it is, never following it', async () => {
    agent = createGuardedAgent({ allowPrivate: true });
    const res = await get(`http://127.0.0.1:${port}/redirect`, { authorization: 'Bearer sk-very-secret' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`http://127.0.0.1:${port}/target`);
    expect(isRedirect(res.status)).toBe(true);
    expect(requests).toEqual(['/redirect']);
  });

  it('reuses pooled connections without resolving again', async () => {
    const lookup = jest.fn(lookupTo('127.0.0.1'));
    agent = createGuardedAgent({ allowPrivate: true, lookup, connections: 1, keepAliveTimeout: 10_000 });
    for (let i = 0; i < 5; i++) await get(`http://upstream.example.com:${port}/`);
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(connections).toBe(1);
  });
});

describe('guarded lookup', () => {
  function resolve(lookup: LookupFunction, all: boolean) {
    return new Promise<{ err: NodeJS.ErrnoException | null; result: string | LookupAddress[]; family?: number }>(
      (done) => createGuardedLookup(lookup)('upstream.example.com', { all }, (err, result, family) => done({ err, result, family })),
    );
  }

  it('passes public addresses through, one or all', async () => {
    const lookup = lookupTo('93.184.215.14', '2606:4700::1111');
    await expect(resolve(lookup, false)).resolves.toEqual({ err: null, result: '93.184.215.14', family: 4 });
    await expect(resolve(lookup, true)).resolves.toMatchObject({
      err: null,
      result: [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:4700::1111', family: 6 },
      ],
    });
  });

  it.each([
    [['93.184.215.14', '10.0.0.5'], '10.0.0.5', 'private'],
    [['2606:4700::1111', 'fd00:ec2::254'], 'fd00:ec2::254', 'metadata'],
    [['169.254.169.254'], '169.254.169.254', 'metadata'],
  ])('refuses a name with any blocked address (%j)', async (addresses, address, addressClass) => {
    for (const all of [true, false]) {
      const { err } = await resolve(lookupTo(...addresses), all);
      expect(err).toBeInstanceOf(BlockedAddress);
      expect(err).toMatchObject({ code: 'EKEYWAY_BLOCKED_ADDRESS', address, addressClass });
    }
  });

  it('checks a lookup that answers with a single address', async () => {
    const single: LookupFunction = (_h, _o, callback) => callback(null, '127.0.0.1', 4);
    await expect(resolve(single, true)).resolves.toMatchObject({ err: { code: 'EKEYWAY_BLOCKED_ADDRESS' } });
  });

  it('passes resolution failures through and treats no answer as not found', async () => {
    const failing: LookupFunction = (_h, _o, callback) =>
      callback(Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' }), '');
    await expect(resolve(failing, true)).resolves.toMatchObject({ err: { code: 'EAI_AGAIN' } });
    await expect(resolve(lookupTo(), true)).resolves.toMatchObject({ err: { code: 'ENOTFOUND' } });
  });
});

describe('isRedirect', () => {
  it.each([
    [301, true],
    [302, true],
    [303, true],
    [307, true],
    [308, true],
    [200, false],
    [304, false],
    [400, false],
  ])('%i is a redirect: %s', (status, expected) => {
    expect(isRedirect(status)).toBe(expected);
  });
});
