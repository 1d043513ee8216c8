import type { AuditSink } from './audit';

/**
 * Credentials never reach a log line or an audit entry (issue 12 §5): query parameters that carry
 * them (`?apiKey=` of Backlog clients, `access_token`, `typetalkToken`, OAuth/OIDC `code` and
 * `state`, anything named *token*, *secret*, *password*…), the headers that carry them, and the
 * same names as fields of an object.
 */
export const REDACTED = '[redacted]';

/** Query parameter names whose values are secrets (matched anywhere in the decoded name). */
const SECRET_PARAM = /token|code|key|secret|password|passwd|signature|sig|state|ticket|session|auth|otp|nonce|saml/i;

/** Headers that carry credentials. */
export const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'backlog-api-key', 'x-csrf-token', 'x-toride-token', 'x-hub-signature', 'x-toride-signature'];

/**
 * Object fields whose values are secrets. Narrower than the query rule: audit details legitimately
 * hold `projectKey`, `state` (of a contract) or `code` (of an error).
 */
const SECRET_FIELD = /^(password|passwd|secret|token|api_?key|apikey|authorization|cookie|access_token|refresh_token|id_token|client_secret|typetalk_?token|.*(Token|Secret|Password|ApiKey))$/i;

const decode = (name: string) => {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
};

/** The URL (or path) with the values of secret-looking query parameters replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const params = query
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const name = eq < 0 ? part : part.slice(0, eq);
      return eq >= 0 && SECRET_PARAM.test(decode(name)) ? `${name}=${REDACTED}` : part;
    });
  return params.length ? `${url.slice(0, q)}?${params.join('&')}` : url.slice(0, q);
}

/** Free text (an error message, a stack) with `name=value` pairs of secret parameters replaced. */
export function redactText(text: string): string {
  if (!text.includes('=')) return text;
  return text.replace(/(^|[^\w.%[\]-])([\w.%[\]-]+)=([^&\s#;"')]*)/g, (whole, lead: string, name: string) =>
    SECRET_PARAM.test(decode(name)) ? `${lead}${name}=${REDACTED}` : whole,
  );
}

/** Headers with the credential-bearing ones replaced. */
export function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = SECRET_HEADERS.includes(name.toLowerCase()) ? REDACTED : value;
  return out;
}

/** A copy of a JSON-like value with secret fields replaced and secrets in URL strings redacted. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 8) return value;
  if (typeof value === 'string') return value.includes('?') || value.includes('=') ? redactText(redactUrl(value)) : value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = SECRET_FIELD.test(key) && item !== null && item !== undefined ? REDACTED : redactValue(item, depth + 1);
    return out;
  }
  return value;
}

/** The audit sink with every entry's details redacted before it is chained and stored. */
export function redactingAuditSink(sink: AuditSink): AuditSink {
  return {
    record: (entry) => sink.record(entry.details ? { ...entry, details: redactValue(entry.details) as Record<string, unknown> } : entry),
    list: (filter) => sink.list(filter),
  };
}
