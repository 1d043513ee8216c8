import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import type { Config } from '../config';

/**
 * Outbound HTTP to addresses users configure (audit push, webhooks), safe against SSRF: only
 * public unicast addresses, checked on the address actually connected to (a custom `lookup`, so a
 * DNS answer cannot change between check and connect), https only, bounded time and answer size.
 * `allowPrivate` lifts the address and scheme rules for tests and closed networks.
 */
export interface OutboundPolicy {
  readonly allowPrivate: boolean;
  readonly timeoutMs?: number;
}

/** The deployment's policy: private targets only when the operator allows them (`TORIDE_OUTBOUND_PRIVATE_TARGETS`). */
export const outboundPolicyOf = (config: Config, timeoutMs = 10_000): OutboundPolicy => ({ allowPrivate: config.outboundPrivateTargets === 'on', timeoutMs });

export type OutboundRefusal = 'outbound.invalid_url' | 'outbound.insecure_scheme' | 'outbound.private_address' | 'outbound.unresolvable';

export class OutboundRefused extends Error {
  constructor(
    readonly code: OutboundRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'OutboundRefused';
  }
}

export interface OutboundResponse {
  status: number;
  /** At most the first 4 KiB, for delivery logs. */
  body: string;
}

const MAX_BODY = 4096;

/** Public unicast only: no loopback, private, link-local, unique-local, CGNAT, multicast or reserved. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

/** Checks a target URL before it is stored, so users learn at once that it will be refused. */
export function checkTargetUrl(raw: string, policy: OutboundPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundRefused('outbound.invalid_url', 'The URL is not valid.');
  }
  if (url.protocol !== 'https:' && !(policy.allowPrivate && url.protocol === 'http:')) {
    throw new OutboundRefused('outbound.insecure_scheme', 'Only https:// URLs are allowed.');
  }
  if (url.username || url.password) throw new OutboundRefused('outbound.invalid_url', 'Credentials in the URL are not allowed.');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) && !policy.allowPrivate && !isPublicAddress(host)) {
    throw new OutboundRefused('outbound.private_address', 'Private, loopback and link-local addresses are not allowed.');
  }
  return url;
}

/**
 * `checkTargetUrl`, and also resolves a host name now, so a target that only reaches private
 * addresses is refused when it is saved. Delivery checks again on the address it connects to.
 */
export async function checkTargetResolves(raw: string, policy: OutboundPolicy): Promise<URL> {
  const url = checkTargetUrl(raw, policy);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (policy.allowPrivate || net.isIP(host)) return url;
  const addresses = await dns.promises.lookup(host, { all: true }).catch(() => {
    throw new OutboundRefused('outbound.unresolvable', `${host} cannot be resolved.`);
  });
  if (!addresses.some((a) => isPublicAddress(a.address))) throw new OutboundRefused('outbound.private_address', `${host} resolves only to private or reserved addresses.`);
  return url;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

function guardedLookup(policy: OutboundPolicy) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const allowed = policy.allowPrivate ? addresses : addresses.filter((a) => isPublicAddress(a.address));
      if (allowed.length === 0) {
        const refusal = Object.assign(new OutboundRefused('outbound.private_address', `${hostname} resolves only to private or reserved addresses.`), {
          errno: 0,
        });
        return callback(refusal, []);
      }
      if (options.all) return callback(null, allowed);
      const first = allowed[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/** POSTs `body` to `url` under the policy; resolves with the status and the start of the answer. */
export function postOutbound(raw: string, body: string, headers: Record<string, string>, policy: OutboundPolicy): Promise<OutboundResponse> {
  const url = checkTargetUrl(raw, policy);
  const client = url.protocol === 'https:' ? https : http;
  const timeout = policy.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'Toride', ...headers },
        lookup: guardedLookup(policy),
        timeout,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY) }));
        response.on('error', reject);
      },
    );
    const deadline = setTimeout(() => request.destroy(new Error(`no answer within ${timeout} ms`)), timeout);
    request.on('close', () => clearTimeout(deadline));
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeout} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** A GET answer: status and body (at most `maxBytes`; a longer answer is refused, never truncated). */
export interface OutboundDocument {
  status: number;
  body: string;
}

export class OutboundTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`The answer is larger than ${maxBytes} bytes.`);
    this.name = 'OutboundTooLarge';
  }
}

/**
 * GETs a document (IdP metadata) under the policy: the same address check on the address actually
 * connected to as `postOutbound` (no DNS rebinding between check and connect), no redirects followed,
 * bounded time, and a size cap — the whole body is needed, so a larger one is an error.
 */
export function getOutbound(raw: string, headers: Record<string, string>, policy: OutboundPolicy, maxBytes: number): Promise<OutboundDocument> {
  const url = checkTargetUrl(raw, policy);
  const client = url.protocol === 'https:' ? https : http;
  const timeout = policy.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const request = client.request(url, { method: 'GET', headers: { 'user-agent': 'Toride', ...headers }, lookup: guardedLookup(policy), timeout }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) return request.destroy(new OutboundTooLarge(maxBytes));
        chunks.push(chunk);
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    const deadline = setTimeout(() => request.destroy(new Error(`no answer within ${timeout} ms`)), timeout);
    request.on('close', () => clearTimeout(deadline));
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeout} ms`)));
    request.on('error', reject);
    request.end();
  });
}
