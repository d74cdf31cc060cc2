import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { AddressClass, classifyAddress, classifyHostName, describeAddressClass } from './address-policy';
import { UnsafeHost } from './net.errors';

export type OutboundUrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

/** Resolves a host name to every address it has; rejects or returns [] when it has none. */
export type HostLookup = (host: string) => Promise<string[]>;

export type OutboundUrlOptions = {
  /** KEYWAY_ALLOW_PRIVATE_HOSTS: the operator lets endpoints reach its own network. */
  allowPrivate: boolean;
  lookup?: HostLookup;
};

const ALLOW_HINT = 'set KEYWAY_ALLOW_PRIVATE_HOSTS=true to allow private hosts';

/**
 * Decides whether a user-supplied endpoint URL (custom host, Azure endpoint) may be saved.
 * The guarded dispatcher checks again at connect time, since DNS answers can change.
 */
export async function checkOutboundUrl(raw: string, opts: OutboundUrlOptions): Promise<OutboundUrlVerdict> {
  const url = parseUrl(raw);
  if (!url) return refuse('The URL is not valid.');
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return refuse('The URL must use http or https.');
  if (url.username || url.password) return refuse('The URL must not contain a username or password.');
  const host = hostOf(url);
  if (!host) return refuse('The URL must include a host.');
  if (opts.allowPrivate) return { ok: true, url };

  const reason = isIP(host) ? literalReason(host) : await nameReason(host, opts.lookup ?? defaultLookup);
  return reason ? refuse(reason) : { ok: true, url };
}

/** {@link checkOutboundUrl}, throwing {@link UnsafeHost} naming `field` when refused. */
export async function assertOutboundUrl(raw: string, field: string, opts: OutboundUrlOptions): Promise<URL> {
  const verdict = await checkOutboundUrl(raw, opts);
  if (!verdict.ok) throw new UnsafeHost(field, verdict.reason);
  return verdict.url;
}

function literalReason(address: string): string | null {
  const cls = classifyAddress(address);
  return cls && `${address} is ${describeAddressClass(cls)}; ${ALLOW_HINT}.`;
}

async function nameReason(host: string, lookup: HostLookup): Promise<string | null> {
  const byName = classifyHostName(host);
  if (byName) return `${host} is ${describeHostClass(byName)}; ${ALLOW_HINT}.`;

  const addresses = await lookup(host).catch((): string[] => []);
  if (addresses.length === 0) return `${host} does not resolve.`;
  for (const address of addresses) {
    const cls = classifyAddress(address);
    if (cls) return `${host} resolves to ${describeAddressClass(cls)}; ${ALLOW_HINT}.`;
  }
  return null;
}

function describeHostClass(cls: AddressClass): string {
  return cls === 'metadata' ? 'a cloud metadata host' : `a ${cls} host`;
}

function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/** The host without IPv6 brackets; WHATWG parsing has already normalised odd IPv4 forms. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

async function defaultLookup(host: string): Promise<string[]> {
  const answers = await dns.lookup(host, { all: true, verbatim: true });
  return answers.map((a) => a.address);
}

function refuse(reason: string): OutboundUrlVerdict {
  return { ok: false, reason };
}
