import fc from 'fast-check';

/**
 * fast-check arbitraries from the OpenAPI document's JSON schemas (issue 12 §7): `goodShaped` follows a
 * schema (types, enums, lengths, formats), `badValue` is anything a careless or hostile client might send
 * in its place. Only what zod's OpenAPI 3.0 output uses is understood; anything else gets any JSON.
 */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  $ref?: string;
};

const NUL = 'a\u0000b';
/** A value nested far past any sane depth: as text, since building it would itself blow the stack. */
export const DEEP_ARRAY_TEXT = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;

/** Values that broke real services somewhere: NUL, huge and odd numbers, wrong types, long text. */
export const badValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(NUL, '', ' ', '\u202e', '../../etc/passwd', "' OR 1=1 --", '%FF%FE', 'x'.repeat(10_000), '😀'.repeat(300)),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -1, 0, 1.5, Number.MAX_SAFE_INTEGER, 1e21),
  fc.constantFrom(true, false, null, [], {}, [[[[[]]]]], { __proto__: { admin: true } }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.max(min, Math.min(schema.maxLength ?? 40, 60));
  switch (schema.format) {
    case 'email':
      return fc.emailAddress().filter((e) => e.length <= (schema.maxLength ?? 320));
    case 'uri':
    case 'url':
      return fc.webUrl().filter((u) => u.length <= (schema.maxLength ?? 2000));
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'date':
      return fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    default:
      return fc.string({ minLength: min, maxLength: max });
  }
}

function resolve(schema: JsonSchema, components: Record<string, JsonSchema>): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.split('/').pop() ?? '';
  return components[name] ?? {};
}

/** Values shaped like `schema` wants (they may still break a business rule: that is fine). */
export function goodShaped(schema: JsonSchema | undefined, components: Record<string, JsonSchema> = {}, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.constant(null);
  const s = resolve(schema, components);
  const base = ((): fc.Arbitrary<unknown> => {
    if (s.enum) return fc.constantFrom(...s.enum);
    const variants = s.anyOf ?? s.oneOf;
    if (variants?.length) return fc.oneof(...variants.map((v) => goodShaped(v, components, depth + 1)));
    if (s.allOf?.length) return goodShaped(s.allOf[0], components, depth + 1);
    const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
    switch (type) {
      case 'string':
        return stringFor(s);
      case 'integer':
        return fc.integer({ min: Math.ceil(s.minimum ?? -5), max: Math.floor(Math.min(s.maximum ?? 1000, 2 ** 31)) });
      case 'number':
        return fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1000, noNaN: true, noDefaultInfinity: true });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(goodShaped(s.items, components, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, 3) });
      case 'object': {
        const properties = s.properties ?? {};
        const required = new Set(s.required ?? []);
        const record: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [key, value] of Object.entries(properties)) record[key] = goodShaped(value, components, depth + 1);
        return fc.record(record, { requiredKeys: [...required].filter((k) => k in record) });
      }
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  })();
  return s.nullable ? fc.oneof(base, fc.constant(null)) : base;
}

/** A good-shaped object with one field (or the whole body) swapped for a bad value. */
export function badlyShaped(schema: JsonSchema | undefined, components: Record<string, JsonSchema> = {}): fc.Arbitrary<unknown> {
  const s = schema ? resolve(schema, components) : {};
  const keys = Object.keys(s.properties ?? {});
  const whole = badValue;
  if (!keys.length) return whole;
  const oneField = fc
    .tuple(goodShaped(s, components), fc.constantFrom(...keys), badValue)
    .map(([good, key, bad]) => ({ ...(good as object), [key]: bad }));
  const extraField = fc.tuple(goodShaped(s, components), fc.string({ maxLength: 12 }), badValue).map(([good, key, bad]) => ({ ...(good as object), [key]: bad }));
  return fc.oneof(oneField, extraField, whole);
}
