import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson, categoryOf, GENESIS_HASH, hashEntry, personalDigest, verifyChainLines, type ChainedEntry, type ChainedFields } from './audit-chain';

/** The chain's pure core and the offline `toride audit verify` command (issue 4 §6 tamper evidence). */
function chain(count: number, start = { seq: 0, hash: GENESIS_HASH }): ChainedEntry[] {
  const entries: ChainedEntry[] = [];
  let prev = start.hash;
  for (let i = 1; i <= count; i += 1) {
    const fields: ChainedFields = {
      id: `id-${start.seq + i}`,
      orgId: 'org-1',
      seq: start.seq + i,
      at: new Date(Date.UTC(2026, 10, 25, 9, 0, i)).toISOString(),
      product: 'platform',
      category: 'member',
      action: 'member.updated',
      outcome: 'success',
      actor: { type: 'account', id: 'acc-1', name: 'Ada, "the admin"', email: 'ada@example.test', salt: `salt-${i}`, digest: personalDigest('Ada, "the admin"', 'ada@example.test', `salt-${i}`) },
      ip: '127.0.0.1',
      userAgent: 'vitest',
      target: { type: 'account', id: `acc-${i}` },
      subject: i % 2 === 0 ? { email: `invitee-${i}@example.test`, salt: `s-${i}`, digest: personalDigest(null, `invitee-${i}@example.test`, `s-${i}`)! } : null,
      requestId: `req-${i}`,
      details: { to: { role: 'admin' }, from: { role: 'member' } },
      prevHash: prev,
    };
    const hash = hashEntry(fields);
    entries.push({ ...fields, hash });
    prev = hash;
  }
  return entries;
}
const lines = (entries: readonly unknown[]) => entries.map((e) => JSON.stringify(e));

describe('hash chain (issue 4 §6, W4.6)', () => {
  it('canonical JSON sorts keys at every depth, so key order never changes a hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,{"y":null,"z":1}]},"b":1}');
    const [entry] = chain(1);
    const { hash, ...fields } = entry!;
    const reordered = Object.fromEntries(Object.entries(fields).reverse()) as unknown as ChainedFields;
    expect(hashEntry(reordered)).toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('derives the category from the action prefix', () => {
    expect(['auth.sign_in', 'member.updated', 'api_key.created', 'operator.orgs.listed', 'account.deleted'].map(categoryOf)).toEqual([
      'auth', 'member', 'api_key', 'operator', 'account',
    ]);
  });

  it('accepts an intact chain from genesis', () => {
    expect(verifyChainLines(lines(chain(20)))).toMatchObject({ ok: true, entries: 20, firstSeq: 1, lastSeq: 20 });
  });

  it('names an edited field as a hash mismatch at its seq', () => {
    const entries = chain(20);
    entries[16] = { ...entries[16]!, outcome: 'failure' };
    expect(verifyChainLines(lines(entries))).toMatchObject({ ok: false, seq: 17, reason: 'hash mismatch', message: 'broken at seq 17: hash mismatch' });
  });

  it('names an edit whose hash was recomputed as a prev_hash mismatch on the next entry', () => {
    const entries = chain(20);
    const original = entries[16]!;
    const { hash: _old, ...fields } = { ...original, outcome: 'failure' };
    entries[16] = { ...fields, hash: hashEntry(fields) };
    expect(verifyChainLines(lines(entries))).toMatchObject({ ok: false, message: 'broken at seq 18: prev_hash mismatch' });
  });

  it('catches an altered name or email through the salted digest, even with the hash recomputed', () => {
    const entries = chain(20);
    const { hash: _old, ...fields } = { ...entries[16]!, actor: { ...entries[16]!.actor, email: 'someone@else.test' } };
    entries[16] = { ...fields, hash: hashEntry(fields) };
    expect(verifyChainLines(lines(entries))).toMatchObject({ ok: false, message: 'broken at seq 17: hash mismatch' });
  });

  it('still verifies after a deleted account’s name, email and salt were erased (W4.4), and refuses a name put back', () => {
    const entries: ChainedEntry[] = chain(20).map((e) => ({
      ...e,
      actor: { ...e.actor, name: null, email: null, salt: null },
      subject: e.subject ? { ...e.subject, email: null, salt: null } : null,
    }));
    expect(verifyChainLines(lines(entries))).toMatchObject({ ok: true, entries: 20 });
    entries[4] = { ...entries[4]!, actor: { ...entries[4]!.actor, name: 'Mallory' } };
    expect(verifyChainLines(lines(entries))).toMatchObject({ ok: false, message: 'broken at seq 5: hash mismatch' });
    const altered = chain(20);
    altered[5] = { ...altered[5]!, subject: { ...altered[5]!.subject!, email: 'someone@else.test' } };
    expect(verifyChainLines(lines(altered))).toMatchObject({ ok: false, message: 'broken at seq 6: hash mismatch' });
  });

  it('names a deleted line as a gap', () => {
    const entries = chain(20);
    entries.splice(16, 1);
    expect(verifyChainLines(lines(entries))).toMatchObject({ ok: false, message: 'broken at seq 17: gap' });
  });

  it('names reordered lines as a gap', () => {
    const entries = chain(20);
    [entries[4], entries[5]] = [entries[5]!, entries[4]!];
    expect(verifyChainLines(lines(entries))).toMatchObject({ ok: false, message: 'broken at seq 5: gap' });
  });

  it('checks the first entry against the anchor line; without one, a partial export is taken from its first entry', () => {
    const full = chain(30);
    const tail = full.slice(10);
    const anchor = { anchor: { orgId: 'org-1', seq: 10, hash: full[9]!.hash } };
    expect(verifyChainLines([JSON.stringify(anchor), ...lines(tail)])).toMatchObject({ ok: true, entries: 20, anchored: true });
    expect(verifyChainLines(lines(tail))).toMatchObject({ ok: true, entries: 20, anchored: false });
    expect(verifyChainLines([JSON.stringify(anchor), ...lines(tail.slice(1))])).toMatchObject({ ok: false, message: 'broken at seq 11: gap' });
    const wrongAnchor = { anchor: { orgId: 'org-1', seq: 10, hash: GENESIS_HASH } };
    expect(verifyChainLines([JSON.stringify(wrongAnchor), ...lines(tail)])).toMatchObject({ ok: false, message: 'broken at seq 11: prev_hash mismatch' });
  });

  it('rejects a first entry at seq 1 that does not start from genesis', () => {
    const forged = chain(3, { seq: 0, hash: 'f'.repeat(64) });
    expect(verifyChainLines(lines(forged))).toMatchObject({ ok: false, message: 'broken at seq 1: prev_hash mismatch' });
  });

  it('reports an unreadable line', () => {
    expect(verifyChainLines([...lines(chain(2)), '{not json'])).toMatchObject({ ok: false, line: 3, reason: 'unreadable' });
  });
});

describe('toride audit verify (issue 4 §6)', { timeout: 120_000 }, () => {
  const run = promisify(execFile);
  const root = path.resolve(import.meta.dirname, '../../../..');
  const dir = mkdtempSync(path.join(tmpdir(), 'toride-verify-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const verify = (file: string) =>
    run('node', ['bin/toride.mjs', 'audit', 'verify', file], { cwd: root, timeout: 30_000 }).then(
      ({ stdout }) => ({ code: 0, out: stdout }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, out: `${error.stdout}${error.stderr}` }),
    );

  it('prints OK for an intact export and names the first broken link with exit code 1', async () => {
    const good = path.join(dir, 'good.jsonl');
    writeFileSync(good, `${lines(chain(25)).join('\n')}\n`);
    expect(await verify(good)).toEqual({ code: 0, out: 'OK: 25 entries, chain intact\n' });

    const entries = chain(25);
    entries[16] = { ...entries[16]!, details: { to: { role: 'guest' } } };
    const bad = path.join(dir, 'bad.jsonl');
    writeFileSync(bad, `${lines(entries).join('\n')}\n`);
    expect(await verify(bad)).toEqual({ code: 1, out: 'broken at seq 17: hash mismatch\n' });
  });
});
