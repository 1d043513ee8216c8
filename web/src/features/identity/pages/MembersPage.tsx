import { useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { Notice } from '../../../components/ErrorAlert';
import { PageHeader, Section } from '../../../components/Feedback';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { InvitationsList } from '../components/InvitationsList';
import { InviteForm } from '../components/InviteForm';
import { MembersTable } from '../components/MembersTable';

export function MembersPage() {
  const t = useT();
  const org = useCurrentOrg();
  useDocumentTitle(t('nav.members'));

  return (
    <div className="page">
      <PageHeader title={t('nav.members')} description={t('members.description', { org: org.name })} />
      {org.abilities.invite ? (
        <Section title={t('invite.formTitle')} description={t('invite.description')}>
          <InviteForm org={org} />
        </Section>
      ) : null}
      {org.abilities.viewMembers ? (
        <section className="page-section" aria-labelledby="members-heading">
          <h2 id="members-heading" className="section-title">
            {t('members.listTitle')}
          </h2>
          <MembersTable org={org} />
        </section>
      ) : (
        <Notice>
          <p>{t('members.guestNotice')}</p>
        </Notice>
      )}
      {org.abilities.invite ? (
        <section className="page-section" aria-labelledby="invitations-heading">
          <h2 id="invitations-heading" className="section-title">
            {t('invitations.title')}
          </h2>
          <InvitationsList org={org} />
        </section>
      ) : null}
    </div>
  );
}
