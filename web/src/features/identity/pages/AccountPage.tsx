import { Link } from 'wouter';
import { useT, type MessageKey } from '../../../app/i18n';
import { NotFound } from '../../../app/shell/NotFound';
import { PageHeader } from '../../../components/Feedback';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { ApiKeysSection } from '../components/ApiKeysSection';
import { DeleteAccountSection } from '../components/DeleteAccountSection';
import { EmailSection } from '../components/EmailSection';
import { PasswordSection } from '../components/PasswordSection';
import { ProfileSection } from '../components/ProfileSection';
import { SessionsSection } from '../components/SessionsSection';
import { TwoFactorSection } from '../components/TwoFactorSection';

const tabs: { id: string; href: string; label: MessageKey }[] = [
  { id: 'profile', href: '/account', label: 'account.tab.profile' },
  { id: 'security', href: '/account/security', label: 'account.tab.security' },
  { id: 'api-keys', href: '/account/api-keys', label: 'account.tab.apiKeys' },
  { id: 'delete', href: '/account/delete', label: 'account.tab.delete' },
];

function TabContent({ tab }: { tab: string }) {
  switch (tab) {
    case 'profile':
      return (
        <>
          <ProfileSection />
          <EmailSection />
          <PasswordSection />
        </>
      );
    case 'security':
      return (
        <>
          <TwoFactorSection />
          <SessionsSection />
        </>
      );
    case 'api-keys':
      return <ApiKeysSection />;
    case 'delete':
      return <DeleteAccountSection />;
    default:
      return null;
  }
}

export function AccountPage({ tab }: { tab: string }) {
  const t = useT();
  const current = tabs.find((item) => item.id === tab);
  useDocumentTitle(current ? `${t(current.label)} · ${t('account.title')}` : t('account.title'));
  if (!current) return <NotFound />;

  return (
    <div className="page page-narrow">
      <PageHeader title={t('account.title')} description={t('account.description')} />
      <nav className="tabs" aria-label={t('account.sections')}>
        {tabs.map((item) => (
          <Link
            key={item.id}
            href={item.href}
            className="tab"
            aria-current={item.id === current.id ? 'page' : undefined}
          >
            {t(item.label)}
          </Link>
        ))}
      </nav>
      <div className="stack">
        <TabContent tab={current.id} />
      </div>
    </div>
  );
}
