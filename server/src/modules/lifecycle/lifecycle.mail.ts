import type { ReceiptFile } from './receipts';

/** The receipt email: both languages in one message (the org may be gone; the contact is all we keep). */
export function receiptMail(name: string | null, file: ReceiptFile, pageUrl: string): { subject: string; text: string } {
  const r = file.receipt;
  const who = name ?? '';
  return {
    subject: `【Toride】データ削除証明書 / Data deletion receipt (${r.orgId})`,
    text: [
      `${who} さん`,
      '',
      `組織 ${r.orgId} のデータ削除（${r.scope}）が ${r.completedAt} に完了しました。削除した行数: ${r.totalRows}。`,
      `最後のバックアップコピーは ${r.backupsExpireAt} に失効します。`,
      '下の JSON を receipt.json として保存し、`toride lifecycle verify-receipt receipt.json` で検証できます。',
      `契約管理者のアカウントでサインインすると、最終のタイムラインと証明書をいつでも確認できます: ${pageUrl}`,
      '',
      `Hi ${who},`,
      '',
      `The deletion of organization ${r.orgId} (${r.scope}) completed at ${r.completedAt}: ${r.totalRows} rows deleted.`,
      `The last backup copy holding its data expires at ${r.backupsExpireAt}.`,
      'Save the JSON below as receipt.json and check it with `toride lifecycle verify-receipt receipt.json`.',
      `Signed in with your account, you can read the final timeline and the receipt at any time: ${pageUrl}`,
      '',
      JSON.stringify(file, null, 2),
      '',
      '— Toride',
    ].join('\n'),
  };
}
