import { createPublicKey, generateKeyPairSync, createPrivateKey, type KeyObject } from 'node:crypto';
import { CompactSign, compactVerify } from 'jose';
import type { Kysely } from 'kysely';
import type { SecretBox } from '../../kernel/crypto';
import type { LifecycleDb } from './lifecycle.db';

/**
 * Signed deletion receipts (issue 5 §5): a JWS (EdDSA, Ed25519) over the receipt JSON. The key
 * pair is generated at first start; the private key is sealed with the deployment secret key.
 * The file a contract admin keeps is `{ format, receipt, jws }`: `receipt` is the readable copy,
 * `jws` the signed one; verification checks the signature and that both say the same.
 */
export const RECEIPT_FORMAT = 'toride-deletion-receipt/1';
const KEY_ID = 'receipt-signing-1';

export interface DeletionReceipt {
  receiptId: string;
  orgId: string;
  scope: string;
  startedAt: string;
  completedAt: string;
  backupsExpireAt: string;
  /** Rows deleted per module, store region and kind. */
  deleted: { module: string; region: string; kind: string; rows: number }[];
  totalRows: number;
  issuedAt: string;
  keyId: string;
}

export interface ReceiptFile {
  format: typeof RECEIPT_FORMAT;
  receipt: DeletionReceipt;
  jws: string;
}

export interface ReceiptSigner {
  readonly keyId: string;
  publicKeyPem(): string;
  sign(receipt: Omit<DeletionReceipt, 'keyId'>): Promise<ReceiptFile>;
}

export async function loadReceiptSigner(db: Kysely<LifecycleDb>, secrets: SecretBox, now: string): Promise<ReceiptSigner> {
  let row = await db.selectFrom('lifecycle_signing_keys').selectAll().where('id', '=', KEY_ID).executeTakeFirst();
  if (!row) {
    const pair = generateKeyPairSync('ed25519');
    const candidate = {
      id: KEY_ID,
      public_key_pem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      private_key_sealed: secrets.seal(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
      created_at: now,
    };
    // Several instances may start at once: the first insert wins, everyone reads it back.
    await db.insertInto('lifecycle_signing_keys').values(candidate).onConflict((oc) => oc.column('id').doNothing()).execute();
    row = await db.selectFrom('lifecycle_signing_keys').selectAll().where('id', '=', KEY_ID).executeTakeFirstOrThrow();
  }
  const publicPem = row.public_key_pem;
  const sealed = row.private_key_sealed;
  let privateKey: KeyObject | null = null;
  return {
    keyId: KEY_ID,
    publicKeyPem: () => publicPem,
    async sign(receipt) {
      privateKey ??= createPrivateKey(secrets.open(sealed));
      const full: DeletionReceipt = { ...receipt, keyId: KEY_ID };
      const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(full)))
        .setProtectedHeader({ alg: 'EdDSA', kid: KEY_ID, typ: RECEIPT_FORMAT })
        .sign(privateKey);
      return { format: RECEIPT_FORMAT, receipt: full, jws };
    },
  };
}

/** Deep equality of JSON values, independent of key order. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export type ReceiptVerification = { ok: true; receipt: DeletionReceipt } | { ok: false; reason: string };

/** Offline check of a receipt file against a PEM public key. */
export async function verifyReceipt(file: unknown, publicKeyPem: string): Promise<ReceiptVerification> {
  const doc = file as Partial<ReceiptFile> | null;
  if (!doc || typeof doc !== 'object' || doc.format !== RECEIPT_FORMAT || typeof doc.jws !== 'string') {
    return { ok: false, reason: `Not a Toride deletion receipt (expected "format": "${RECEIPT_FORMAT}" and a "jws").` };
  }
  let payload: unknown;
  try {
    const result = await compactVerify(doc.jws, createPublicKey(publicKeyPem), { algorithms: ['EdDSA'] });
    payload = JSON.parse(new TextDecoder().decode(result.payload));
  } catch {
    return { ok: false, reason: 'The signature does not verify with this public key: the receipt was altered or signed by another deployment.' };
  }
  if (doc.receipt !== undefined && !sameJson(doc.receipt, payload)) {
    return { ok: false, reason: 'The readable "receipt" differs from the signed one: the file was altered after signing.' };
  }
  return { ok: true, receipt: payload as DeletionReceipt };
}
