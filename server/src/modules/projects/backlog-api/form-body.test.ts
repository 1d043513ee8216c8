import { describe, expect, it } from 'vitest';
import { normalizeJsonParams, parseBacklogParams } from './form-body';

describe('Backlog form and query encoding (issue 3 §2, research §2)', () => {
  it('reads qs "brackets" arrays, indexed custom fields and plain keys', () => {
    expect(parseBacklogParams('projectId%5B%5D=1&projectId%5B%5D=2&summary=a%20b&customField_5%5B1%5D=y&customField_5%5B0%5D=x&customField_5_otherValue=z')).toEqual({
      projectId: ['1', '2'],
      summary: 'a b',
      customField_5: ['x', 'y'],
      customField_5_otherValue: 'z',
    });
  });

  it('keeps empty values (a client clears a field with `assigneeId=`) and lets the last scalar win', () => {
    expect(parseBacklogParams('assigneeId=&name=a&name=b')).toEqual({ assigneeId: '', name: 'b' });
  });

  it('ignores prototype keys and absurd indexes', () => {
    const parsed = parseBacklogParams('__proto__%5B%5D=x&constructor=y&a%5B5000%5D=z&a%5B0%5D=ok');
    expect(parsed).toEqual({ a: ['ok'] });
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('normalises JSON bodies to the same shape', () => {
    expect(normalizeJsonParams({ 'categoryId[]': [1, 2], summary: 'x', done: true, none: null })).toEqual({ categoryId: ['1', '2'], summary: 'x', done: 'true', none: '' });
    expect(normalizeJsonParams('text')).toEqual({});
  });
});
