import { ApiError } from '../lib/api';
import { hasMessage, type MessageKey, type Translate } from './i18n';

const fieldLabels: Record<string, MessageKey> = {
  email: 'field.email',
  password: 'field.password',
  name: 'field.name',
  orgName: 'field.orgName',
  code: 'signin.code',
  recoveryCode: 'signin.recoveryCode',
  currentPassword: 'password.current',
  newPassword: 'password.new',
  description: 'teams.descriptionField',
  role: 'field.role',
};

function invalidFields(details: unknown, t: Translate): string[] {
  if (!Array.isArray(details)) return [];
  const names = new Set<string>();
  for (const item of details) {
    if (typeof item !== 'object' || item === null || !('path' in item)) continue;
    const path = (item as { path: unknown }).path;
    if (typeof path !== 'string' || !path) continue;
    const head = path.split('.')[0] ?? path;
    const key = fieldLabels[head];
    names.add(key ? t(key) : head);
  }
  return [...names];
}

export function errorMessage(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
    if (error.code === 'request.invalid') {
      const fields = invalidFields(error.details, t);
      return fields.length > 0
        ? t('error.request.invalidFields', { fields: fields.join(t('common.listSeparator')) })
        : t('error.request.invalid');
    }
    const key = `error.${error.code}`;
    if (hasMessage(key)) return t(key);
    if (error.code.endsWith('.not_found')) return t('error.not_found');
    if (error.status >= 500) return t('error.server');
    if (error.message) return error.message;
    return t('error.unknown');
  }
  if (error instanceof Error && error.message) return error.message;
  return t('error.unknown');
}
