import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { badRequest } from '../../../kernel/errors';
import { normalizeJsonParams, parseBacklogParams, type BacklogParams } from './form-body';

/**
 * Backlog inputs arrive as strings (form bodies, query strings): these zod pieces coerce them.
 * An empty string clears a nullable field, as Backlog clients send `assigneeId=` to unassign.
 */
const intText = z.string().regex(/^-?\d{1,15}$/, 'must be an integer').transform(Number);
export const int = z.union([z.number().int(), intText]);
export const intList = z.union([int, z.array(int)]).transform((v) => (Array.isArray(v) ? v : [v]));
export const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const empty = z.literal('').transform(() => null);
export const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date yyyy-MM-dd')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'must be a real date');
export const nullableInt = z.union([empty, int]);
export const nullableDate = z.union([empty, date]);
export const hours = z.union([empty, z.number().min(0), z.string().regex(/^\d{1,6}$|^\d{1,6}\.\d{1,2}$/, 'must be a number of hours').transform(Number)]);
export const text = (max: number) => z.string().max(max);
export const name = z.string().trim().min(1, 'is required').max(255);

/** Query string (and, for writes, the body) read as Backlog encodes them. */
export function paramsOf(request: FastifyRequest): BacklogParams {
  const url = request.raw.url ?? '';
  const q = url.indexOf('?');
  const query = q >= 0 ? parseBacklogParams(url.slice(q + 1)) : {};
  const body = request.body;
  // Form bodies arrive already parsed by parseBacklogParams; JSON bodies are normalised the same way.
  const fromBody = normalizeJsonParams(body);
  // `apiKey` authenticates; it is not a parameter of any endpoint.
  const { apiKey: _ignored, ...rest } = { ...query, ...fromBody };
  return rest;
}

/** Parses with `schema`; failures become Backlog's 400 with code 7 and a readable message. */
export function parseParams<S extends z.ZodType>(schema: S, params: BacklogParams): z.output<S> {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const message = result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
  throw badRequest('request.invalid', `Invalid parameter: ${message}`);
}
