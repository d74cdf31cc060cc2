import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { isIP, LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { classifyAddress, classifyHostName } from './address-policy';
import { BlockedAddress } from './net.errors';

export type GuardedAgentOptions = {
  /** KEYWAY_ALLOW_PRIVATE_HOSTS: the operator lets endpoints reach its own network. */
  allowPrivate: boolean;
  /** `dns.lookup`-compatible; defaults to `dns.lookup`. */
  lookup?: LookupFunction;
  /** Max sockets per origin. */
  connections?: number;
  /** Milliseconds an idle pooled socket is kept. */
  keepAliveTimeout?: number;
  /** Milliseconds to establish a connection (TCP + TLS). */
  connectTimeout?: number;
};

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * The dispatcher for every upstream LLM call. Unless private hosts are allowed, each new
 * connection is checked: an IP-literal host before connecting, a name through the lookup
 * the socket connects with, so the address checked is the address used (DNS rebinding
 * gets nowhere). Pooled sockets are reused without further work.
 *
 * Redirects are never followed: undici's `request`/`stream` don't, and callers must not add
 * a redirect interceptor, because following one would carry the credential to another host.
 * Treat an {@link isRedirect} status as an upstream error.
 */
export function createGuardedAgent(opts: GuardedAgentOptions): Agent {
  const lookup = opts.lookup ?? dnsLookup;
  const connect = buildConnector({
    timeout: opts.connectTimeout,
    lookup: opts.allowPrivate ? lookup : createGuardedLookup(lookup),
  });
  return new Agent({
    connections: opts.connections,
    keepAliveTimeout: opts.keepAliveTimeout,
    connect: opts.allowPrivate ? connect : refusingBlockedHosts(connect),
  });
}

/**
 * Wraps a `dns.lookup`-compatible function so that a name with any blocked address fails
 * with {@link BlockedAddress}, whether the caller asks for one address or all of them.
 */
export function createGuardedLookup(lookup: LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (err, result, family) => {
      if (err) return callback(err, '');
      const addresses = toAddressList(result, family);
      if (addresses.length === 0) return callback(notFound(hostname), '');
      const blocked = firstBlocked(addresses);
      if (blocked) return callback(new BlockedAddress(hostname, blocked.address, blocked.cls), '');
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

export function isRedirect(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

// Node's net/tls skip `lookup` for IP-literal hosts, so those are checked here.
function refusingBlockedHosts(connect: buildConnector.connector): buildConnector.connector {
  return (options, callback) => {
    const refusal = refusalFor(options.hostname);
    if (refusal) return callback(refusal, null);
    connect(options, callback);
  };
}

function refusalFor(hostname: string): BlockedAddress | null {
  if (isIP(hostname)) {
    const cls = classifyAddress(hostname);
    return cls && new BlockedAddress(hostname, hostname, cls);
  }
  const byName = classifyHostName(hostname);
  return byName && new BlockedAddress(hostname, hostname, byName);
}

function toAddressList(result: string | LookupAddress[], family: number | undefined): LookupAddress[] {
  if (typeof result !== 'string') return result;
  return [{ address: result, family: family ?? isIP(result) }];
}

function firstBlocked(addresses: LookupAddress[]) {
  for (const { address } of addresses) {
    const cls = classifyAddress(address);
    if (cls) return { address, cls };
  }
  return null;
}

function notFound(hostname: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
  err.code = 'ENOTFOUND';
  return err;
}
