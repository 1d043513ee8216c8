import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../../test/client';
import { buildTestApp, type TestApp } from '../../test/harness';

/**
 * docs/en/api.md and the OpenAPI document agree (issue 12 §7: they disagreed on 21 operations): every
 * `/api/v1` operation has a row, and the success code a row states (a bare answer means 200) is the one
 * the document lists — which the fuzz test holds to what the server really sends.
 */
const API_MD = new URL('../../../../docs/en/api.md', import.meta.url);
const ROW = /^\|\s*`?(GET|POST|PUT|PATCH|DELETE) (\/[^ `|?]+)`?/;

/** `(method, path)` pairs a table row names, composite rows (`GET /x` · `POST` · `DELETE …/x/:id`) included. */
function operationsOfRow(line: string): { method: string; path: string; single: boolean }[] {
  const first = ROW.exec(line);
  if (!first) return [];
  const base = first[2]!.startsWith('/api/v1') ? first[2]! : `/api/v1${first[2]}`;
  const found = [{ method: first[1]!, path: base, single: !line.includes(' · ') }];
  const cell = line.split('|')[1] ?? '';
  for (const token of cell.split(' · ').slice(1)) {
    const text = token.replace(/`/g, '').trim();
    const [word, rest] = text.includes(' ') ? text.split(' ', 2) : /^[A-Z]+$/.test(text) ? [text, ''] : [first[1]!, text];
    let path = base;
    if (rest?.startsWith('…/')) {
      const tail = rest.slice(2);
      const anchor = tail.split('/')[0]!;
      path = `${base.slice(0, base.lastIndexOf(`/${anchor}`))}/${tail}`;
    } else if (rest?.startsWith('/')) path = `${base.slice(0, base.lastIndexOf('/'))}${rest}`;
    found.push({ method: word!, path, single: false });
  }
  return found;
}

let t: TestApp;
let documented: Map<string, string[]>;
beforeAll(async () => {
  t = await buildTestApp();
  const doc = (await new TestClient(t.app).get('/api/openapi.json')).body as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
  documented = new Map();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      documented.set(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, Object.keys(operation.responses).filter((c) => c.startsWith('2')));
    }
  }
});
afterAll(async () => t?.close());

describe('docs/en/api.md agrees with /api/openapi.json (issue 12 §7)', () => {
  it('names every /api/v1 operation, with the success code the document lists', () => {
    const lines = readFileSync(API_MD, 'utf8').split('\n');
    const seen = new Set<string>();
    const disagreements: string[] = [];
    for (const line of lines) {
      for (const { method, path, single } of operationsOfRow(line)) {
        const key = `${method} ${path}`;
        seen.add(key);
        const codes = documented.get(key);
        if (!codes) {
          disagreements.push(`${key}: in api.md, not in the OpenAPI document`);
          continue;
        }
        if (!single) continue;
        const answer = line.split('|').at(-2) ?? '';
        const stated = /\b(2\d\d)\b/.exec(answer)?.[1] ?? '200';
        if (!codes.includes(stated)) disagreements.push(`${key}: api.md says ${stated}, the document ${codes.join('/')}`);
      }
    }
    for (const key of documented.keys()) if (key.includes(' /api/v1/') && !seen.has(key)) disagreements.push(`${key}: missing from api.md`);
    expect(disagreements).toEqual([]);
  });
});
