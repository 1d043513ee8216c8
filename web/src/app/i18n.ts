import { createContext, useContext } from 'react';
import { en } from './locales/en';
import { ja } from './locales/ja';

export type Locale = 'ja' | 'en';
export type MessageKey = keyof typeof en;
export type MessageVars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: MessageVars) => string;

export const locales: readonly Locale[] = ['ja', 'en'];

const catalogs: Record<Locale, Record<MessageKey, string>> = { en, ja };

const STORAGE_KEY = 'toride.locale';

export function isLocale(value: unknown): value is Locale {
  return value === 'ja' || value === 'en';
}

export function detectLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    // storage unavailable
  }
  const languages = navigator.languages.length > 0 ? navigator.languages : [navigator.language];
  return languages.some((lang) => lang.toLowerCase().startsWith('ja')) ? 'ja' : 'en';
}

export function rememberLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // storage unavailable
  }
}

export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

export function translate(locale: Locale, key: MessageKey, vars?: MessageVars): string {
  const template = catalogs[locale][key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => {
    const value = vars[name];
    return value === undefined ? match : String(value);
  });
}

export interface I18nValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
}

export const I18nContext = createContext<I18nValue>({
  locale: 'en',
  setLocale: () => undefined,
  t: (key, vars) => translate('en', key, vars),
});

export function useT(): Translate {
  return useContext(I18nContext).t;
}

export function useLocale(): Pick<I18nValue, 'locale' | 'setLocale'> {
  const { locale, setLocale } = useContext(I18nContext);
  return { locale, setLocale };
}
