import { execFileSync } from 'node:child_process';
import path from 'node:path';

interface OutboxItem {
  to: string;
  subject: string;
  text: string | null;
}

/** Reads the mail outbox the way an operator does: `toride mail outbox --json`. */
export function linkFromOutbox(to: string, pattern: RegExp): string {
  const output = execFileSync('node', ['bin/toride.mjs', 'mail', 'outbox', '--json', '--limit', '50'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: { ...process.env, TORIDE_DATA_DIR: process.env.TORIDE_E2E_DATA_DIR, TORIDE_LOG_LEVEL: 'silent' },
    encoding: 'utf8',
  });
  for (const line of output.trim().split('\n')) {
    const item = JSON.parse(line) as OutboxItem;
    const match = item.to === to && item.text ? pattern.exec(item.text) : null;
    if (match) return match[0];
  }
  throw new Error(`no mail to ${to} matching ${pattern}`);
}
