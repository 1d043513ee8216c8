import type { MessageKey, Translate } from '../../app/i18n';
import { hasMessage } from '../../app/i18n';
import type { AuditEvent } from './api';

/** Known categories and outcomes are translated; ones added later by other products show as sent. */
export function categoryLabel(category: string, t: Translate): string {
  const key = `audit.category.${category}`;
  return hasMessage(key) ? t(key) : category;
}

export function outcomeLabel(outcome: string, t: Translate): string {
  const key = `audit.outcome.${outcome}`;
  return hasMessage(key) ? t(key) : outcome;
}

export function outcomeTone(outcome: string): 'success' | 'danger' | 'warning' | 'neutral' {
  if (outcome === 'success') return 'success';
  if (outcome === 'failure') return 'danger';
  if (outcome === 'denied') return 'warning';
  return 'neutral';
}

const actorTypeKeys: Record<string, MessageKey> = {
  system: 'audit.actorSystem',
  anonymous: 'audit.actorAnonymous',
  operator: 'audit.actorOperator',
};

export function actorLabel(actor: AuditEvent['actor'], t: Translate): string {
  if (actor.name) return actor.name;
  if (actor.email) return actor.email;
  if (actor.erased) return t('audit.actorErased');
  const key = actorTypeKeys[actor.type];
  return key ? t(key) : actor.type;
}

/** Long ids and hashes are shortened for the table; the full value stays in a title and the details. */
export function shorten(value: string, length = 12): string {
  return value.length > length + 1 ? `${value.slice(0, length)}…` : value;
}

/** Time-ordered ids (UUIDv7) share their first digits, so ids are told apart by their end. */
export function shortenTail(value: string, length = 8): string {
  return value.length > length + 1 ? `…${value.slice(-length)}` : value;
}

/** A `datetime-local` value is the user's wall-clock time; the API wants an ISO 8601 instant in UTC. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
