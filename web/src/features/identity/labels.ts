import type { Translate } from '../../app/i18n';

export function memberCountLabel(t: Translate, count: number): string {
  return t(count === 1 ? 'teams.memberCountOne' : 'teams.memberCount', { count });
}
