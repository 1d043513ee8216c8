import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useMe } from '../features/identity/api';
import { I18nContext, detectLocale, rememberLocale, translate, type I18nValue, type Locale } from './i18n';

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(detectLocale);
  const { data: me } = useMe();
  const accountLocale = me?.account.locale;

  useEffect(() => {
    if (!accountLocale) return;
    rememberLocale(accountLocale);
    setLocaleState(accountLocale);
  }, [accountLocale]);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    rememberLocale(next);
    setLocaleState(next);
  }, []);

  const value = useMemo<I18nValue>(
    () => ({ locale, setLocale, t: (key, vars) => translate(locale, key, vars) }),
    [locale, setLocale],
  );

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}
