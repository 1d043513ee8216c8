import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { useLocale, useT } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { EmptyState, PageHeader, Section, Spinner } from '../../../components/Feedback';
import { TextField } from '../../../components/Field';
import { formatDate } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { memberCountLabel } from '../labels';
import { useCreateTeam, useTeams } from '../org-api';

function CreateTeamForm({ orgId }: { orgId: string }) {
  const t = useT();
  const [, navigate] = useLocation();
  const create = useCreateTeam(orgId);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), description: description.trim() },
      { onSuccess: (team) => navigate(`/orgs/${orgId}/teams/${team.id}`) },
    );
  };

  return (
    <form className="form" onSubmit={onSubmit} data-testid="create-team-form">
      <div className="form-inline">
        <TextField label={t('teams.name')} value={name} onValue={setName} required maxLength={100} />
        <TextField label={t('teams.descriptionField')} value={description} onValue={setDescription} maxLength={500} />
        <div className="form-inline-action">
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? t('common.creating') : t('teams.create')}
          </button>
        </div>
      </div>
      <ErrorAlert error={create.error} />
    </form>
  );
}

export function TeamsPage() {
  const t = useT();
  const { locale } = useLocale();
  const org = useCurrentOrg();
  const teams = useTeams(org.id);
  useDocumentTitle(t('nav.teams'));

  return (
    <div className="page">
      <PageHeader title={t('nav.teams')} description={t('teams.description')} />
      {org.abilities.manageTeams ? (
        <Section title={t('teams.createTitle')}>
          <CreateTeamForm orgId={org.id} />
        </Section>
      ) : null}
      <section className="page-section" aria-labelledby="teams-heading">
        <h2 id="teams-heading" className="section-title">
          {t('teams.listTitle')}
        </h2>
        {teams.isPending ? <Spinner /> : null}
        <ErrorAlert error={teams.error} />
        {teams.data && teams.data.length === 0 ? (
          <EmptyState title={t('teams.empty')}>
            <p>{org.abilities.manageTeams ? t('teams.emptyManage') : t('teams.emptyGuest')}</p>
          </EmptyState>
        ) : null}
        {teams.data && teams.data.length > 0 ? (
          <ul className="team-list" data-testid="teams-list">
            {teams.data.map((team) => (
              <li key={team.id}>
                <Link href={`/orgs/${org.id}/teams/${team.id}`} className="team-card">
                  <span className="team-card-name">{team.name}</span>
                  <span className="team-card-desc">{team.description || t('teams.noDescription')}</span>
                  <span className="team-card-meta">
                    {memberCountLabel(t, team.memberCount)} · {formatDate(team.createdAt, locale)}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </div>
  );
}
