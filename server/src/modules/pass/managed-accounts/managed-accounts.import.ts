import { parse } from 'csv-parse/sync';
import { AppError, badRequest } from '../../../kernel/errors';
import type { ManagedAccountActor, IdentityApi } from '../../identity';
import { MAX_IMPORT_ROWS } from './managed-accounts.schemas';

/**
 * CSV bulk import of managed accounts (W8.3): columns `email,name,role` in any order. The whole file
 * is read and checked first — a file that is not CSV, lacks a column or has too many rows changes
 * nothing (400). Then each row is created (new address), updated (a managed account of this org
 * with that address) or reported as an error with its reason; the report covers every row.
 */
export type ImportStatus = 'created' | 'updated' | 'unchanged' | 'error';
export interface ImportRow {
  line: number;
  email: string;
  status: ImportStatus;
  accountId: string | null;
  error: { code: string; message: string } | null;
}

const COLUMNS = ['email', 'name', 'role'] as const;
const ROLES = new Set(['admin', 'member', 'guest']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface ParsedRow {
  line: number;
  email: string;
  name: string;
  role: string;
}

function readFile(text: string): ParsedRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (error) {
    throw badRequest('managed_import.invalid_csv', `The file is not valid CSV: ${(error as Error).message.slice(0, 200)}`);
  }
  const [header, ...rows] = records;
  if (!header) throw badRequest('managed_import.empty', 'The file is empty. The first line must be: email,name,role');
  const names = header.record.map((cell) => cell.toLowerCase());
  const index = Object.fromEntries(COLUMNS.map((column) => [column, names.indexOf(column)])) as Record<(typeof COLUMNS)[number], number>;
  const missing = COLUMNS.filter((column) => index[column] < 0);
  if (missing.length > 0) throw badRequest('managed_import.missing_columns', `The first line must name the columns email,name,role (missing: ${missing.join(', ')}).`, { missing });
  if (rows.length === 0) throw badRequest('managed_import.empty', 'The file has no rows after the header.');
  if (rows.length > MAX_IMPORT_ROWS) throw badRequest('managed_import.too_many_rows', `Import at most ${MAX_IMPORT_ROWS} rows at once.`, { max: MAX_IMPORT_ROWS });
  return rows.map(({ record, info }) => ({
    line: info.lines,
    email: (record[index.email] ?? '').toLowerCase(),
    name: record[index.name] ?? '',
    role: (record[index.role] ?? '').toLowerCase(),
  }));
}

function rowProblem(row: ParsedRow, seen: Set<string>): { code: string; message: string } | null {
  if (!EMAIL.test(row.email) || row.email.length > 254) return { code: 'managed_account.invalid_email', message: 'Not a valid email address.' };
  if (seen.has(row.email)) return { code: 'managed_import.duplicate_row', message: 'The address appears more than once in the file.' };
  if (row.name.length < 1 || row.name.length > 200) return { code: 'managed_account.invalid_name', message: 'The name must be 1 to 200 characters.' };
  if (!ROLES.has(row.role)) return { code: 'managed_account.invalid_role', message: 'The role must be admin, member or guest.' };
  return null;
}

export async function importManagedAccounts(
  identity: IdentityApi,
  orgId: string,
  text: string,
  actor: ManagedAccountActor,
  options: { dryRun: boolean },
): Promise<{ dryRun: boolean; rows: ImportRow[]; summary: Record<ImportStatus, number> }> {
  const parsed = readFile(text);
  const seen = new Set<string>();
  const existing = new Map((await identity.managedAccounts.list(orgId)).map((account) => [account.email, account]));
  const report: ImportRow[] = [];
  for (const row of parsed) {
    const problem = rowProblem(row, seen);
    seen.add(row.email);
    const base = { line: row.line, email: row.email };
    if (problem) {
      report.push({ ...base, status: 'error', accountId: null, error: problem });
      continue;
    }
    const role = row.role as 'admin' | 'member' | 'guest';
    const current = existing.get(row.email);
    try {
      if (current) {
        const same = current.name === row.name && current.role === role;
        if (!same && !options.dryRun) await identity.managedAccounts.update(orgId, current.id, { name: row.name, role }, actor);
        report.push({ ...base, status: same ? 'unchanged' : 'updated', accountId: current.id, error: null });
      } else if (options.dryRun) {
        report.push({ ...base, status: 'created', accountId: null, error: null });
      } else {
        const created = await identity.managedAccounts.create(orgId, { email: row.email, name: row.name, role }, actor);
        report.push({ ...base, status: 'created', accountId: created.id, error: null });
      }
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      report.push({ ...base, status: 'error', accountId: current?.id ?? null, error: { code: error.code, message: error.message } });
    }
  }
  const summary = { created: 0, updated: 0, unchanged: 0, error: 0 };
  for (const row of report) summary[row.status] += 1;
  return { dryRun: options.dryRun, rows: report, summary };
}
