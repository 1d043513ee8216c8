import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors';

/**
 * Limits every surface applies at the parser, before any handler runs (issue 12 §7). Handlers and
 * clients walk bodies recursively (zod, `String(array)`, presenters): a body nested 20,000 levels deep
 * blew the call stack into a 500. No Toride or Backlog body needs more than a few levels.
 */
export const MAX_JSON_DEPTH = 32;
/** Form bodies are flat; this bounds the work one body can cause (Backlog sends a few dozen fields). */
export const MAX_FORM_FIELDS = 2000;

export const tooDeep = () => new AppError(400, 'request.too_deep', `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep.`);
/** PostgreSQL text cannot hold NUL (the query fails), and no field of ours means anything with it. */
export const nulCharacter = () => new AppError(400, 'request.invalid_character', 'Text must not contain NUL (U+0000) characters.');
export const unreadableJson = () => new AppError(400, 'request.invalid', 'The request body is not valid JSON.');
export const tooManyFields = () => new AppError(400, 'request.too_many_fields', `The form body has more than ${MAX_FORM_FIELDS} fields.`);

/**
 * Nesting depth of a JSON text, by one linear scan (no recursion, no allocation), stopping as soon as
 * it passes `max`. Brackets inside strings do not count.
 */
export function jsonDepthExceeds(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** What a parsed body (bounded depth) must not hold: NUL in a string or key, or a `__proto__` key. */
function forbiddenIn(value: unknown): AppError | null {
  if (typeof value === 'string') return value.includes('\u0000') ? nulCharacter() : null;
  if (!value || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = forbiddenIn(item);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    const pollutes = key === '__proto__' || (key === 'constructor' && item !== null && typeof item === 'object' && Object.hasOwn(item, 'prototype'));
    if (pollutes) return new AppError(400, 'request.invalid', 'The request body has a forbidden key.');
    const found = key.includes('\u0000') ? nulCharacter() : forbiddenIn(item);
    if (found) return found;
  }
  return null;
}

/**
 * The one JSON body reader of every surface: depth first (on the text), then `JSON.parse`, then no NUL
 * and no `__proto__` or `constructor.prototype` key (what Fastify's default parser refuses too). Throws an AppError (400) that each
 * surface renders in its own shape.
 */
export function readJsonBody(text: string, emptyAs: unknown = undefined): unknown {
  if (text.trim() === '') {
    if (emptyAs === undefined) throw unreadableJson();
    return emptyAs;
  }
  if (jsonDepthExceeds(text)) throw tooDeep();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw unreadableJson();
  }
  const forbidden = forbiddenIn(value);
  if (forbidden) throw forbidden;
  return value;
}

/** Form bodies (already decoded by the surface's parser): bounded field count, no NUL. */
export function checkFormFields(fields: Record<string, string | string[]>): void {
  let count = 0;
  for (const [key, value] of Object.entries(fields)) {
    const values = Array.isArray(value) ? value : [value];
    count += values.length;
    if (count > MAX_FORM_FIELDS) throw tooManyFields();
    if (key.includes('\u0000') || values.some((v) => v.includes('\u0000'))) throw nulCharacter();
  }
}

/** A NUL anywhere in the URL (path or query), percent-encoded: raw NUL bytes never get past Node's parser. */
const ENCODED_NUL = /%00/i;

/**
 * Root-level guards, inherited by every surface (their own error handlers render the AppError):
 * the JSON parser with the limits above for the native API, and no NUL in any URL.
 */
export function registerInputGuards(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, readJsonBody(String(body)));
    } catch (error) {
      done(error as AppError, undefined);
    }
  });
  app.addHook('onRequest', async (request) => {
    if (ENCODED_NUL.test(request.url)) throw nulCharacter();
  });
}
