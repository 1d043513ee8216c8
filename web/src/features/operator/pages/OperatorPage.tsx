import { Link } from 'wouter';
import { AuthLayout, LanguageSelect } from '../../../app/AuthLayout';
import { useT } from '../../../app/i18n';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FullPageSpinner } from '../../../components/Feedback';
import { Icon } from '../../../components/Icon';
import { Logo } from '../../../components/Logo';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useOperatorMe, useOperatorSignOut, type OperatorMe } from '../api';
import { OperatorOrgsTable } from '../components/OperatorOrgsTable';
import { OperatorSignIn } from '../components/OperatorSignIn';
import { OperatorStoresTable } from '../components/OperatorStoresTable';
import { OutboxList } from '../components/OutboxList';

function Console({ session }: { session: OperatorMe }) {
  const t = useT();
  const signOut = useOperatorSignOut(session.csrfToken);
  useDocumentTitle(t('operator.title'));

  return (
    <div className="operator">
      <header className="operator-bar">
        <div className="operator-brand">
          <Logo />
          <span className="badge badge-dark">{t('operator.badge')}</span>
        </div>
        <div className="topbar-user">
          <LanguageSelect />
          <span className="operator-who">{session.operator.email}</span>
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => signOut.mutate()}
            disabled={signOut.isPending}
            data-testid="operator-sign-out"
          >
            <Icon name="signOut" />
            <span>{t('shell.signOut')}</span>
          </button>
        </div>
      </header>
      <main className="operator-content">
        <h1 className="page-title">{t('operator.title')}</h1>
        <p className="page-description">{t('operator.description')}</p>
        <p>
          <Link href="/operator/lifecycle" data-testid="operator-lifecycle-link">
            {t('operator.lifecycleLink')}
          </Link>
        </p>
        <ErrorAlert error={signOut.error} />
        <section className="page-section" aria-labelledby="operator-orgs">
          <h2 id="operator-orgs" className="section-title">
            {t('operator.orgsTitle')}
          </h2>
          <OperatorOrgsTable />
        </section>
        <section className="page-section" aria-labelledby="operator-stores">
          <h2 id="operator-stores" className="section-title">
            {t('operator.storesTitle')}
          </h2>
          <OperatorStoresTable />
        </section>
        <section className="page-section" aria-labelledby="operator-outbox">
          <h2 id="operator-outbox" className="section-title">
            {t('operator.outboxTitle')}
          </h2>
          <OutboxList />
        </section>
      </main>
    </div>
  );
}

export function OperatorPage() {
  const t = useT();
  const me = useOperatorMe();

  if (me.isPending) return <FullPageSpinner />;
  if (me.isError) {
    return (
      <AuthLayout title={t('operator.signInTitle')}>
        <ErrorAlert error={me.error} />
      </AuthLayout>
    );
  }
  if (!me.data) {
    return (
      <AuthLayout title={t('operator.signInTitle')} subtitle={t('operator.signInSubtitle')} languageSwitch>
        <OperatorSignIn />
      </AuthLayout>
    );
  }
  return <Console session={me.data} />;
}
