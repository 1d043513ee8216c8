import { useId, type ReactNode } from 'react';
import { Logo } from '../components/Logo';
import { useDocumentTitle } from '../lib/use-document-title';
import { isLocale, useLocale, useT } from './i18n';

export function LanguageSelect() {
  const t = useT();
  const id = useId();
  const { locale, setLocale } = useLocale();
  return (
    <div className="language-select">
      <label htmlFor={id} className="language-select-label">
        {t('common.language')}
      </label>
      <select
        id={id}
        className="select select-sm"
        value={locale}
        onChange={(event) => {
          if (isLocale(event.target.value)) setLocale(event.target.value);
        }}
      >
        <option value="ja">日本語</option>
        <option value="en">English</option>
      </select>
    </div>
  );
}

export function AuthLayout({
  title,
  subtitle,
  children,
  footer,
  languageSwitch = false,
  wide = false,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
  languageSwitch?: boolean;
  wide?: boolean;
}) {
  useDocumentTitle(title);
  return (
    <div className="auth-page">
      <div className="auth-top">
        <Logo />
        {languageSwitch ? <LanguageSelect /> : null}
      </div>
      <main className={wide ? 'auth-card auth-card-wide' : 'auth-card'}>
        <h1 className="auth-title">{title}</h1>
        {subtitle ? <p className="auth-subtitle">{subtitle}</p> : null}
        {children}
      </main>
      {footer ? <div className="auth-footer">{footer}</div> : null}
    </div>
  );
}
