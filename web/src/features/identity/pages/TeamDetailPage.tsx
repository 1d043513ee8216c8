import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { useT } from '../../../app/i18n';
import { NotFound } from '../../../app/shell/NotFound';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { EmptyState, PageHeader, Section, Spinner } from '../../../components/Feedback';
import { TextField } from '../../../components/Field';
import { isApiError } from '../../../lib/api';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { memberCountLabel } from '../labels';
import { MemberPicker } from '../components/MemberPicker';
import { useDeleteTeam, useTeam, useUpdateTeam } from '../org-api';
import type { Team } from '../types';

function TeamEditor({ orgId, team }: { orgId: string; team: Team }) {
  const t = useT();
  const [, navigate] = useLocation();
  const update = useUpdateTeam(orgId, team.id);
  const remove = useDeleteTeam(orgId);
  const [name, setName] = useState(team.name);
  const [description, setDescription] = useState(team.description);
  const [memberIds, setMemberIds] = useState<Set<string>>(() => new Set(team.members.map((m) => m.accountId)));
  const [confirming, setConfirming] = useState(false);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ name: name.trim(), description: description.trim(), memberIds: [...memberIds] });
  };

  return (
    <>
      <Section title={t('teams.editTitle')}>
        <form className="form" onSubmit={onSubmit} data-testid="team-form">
          <TextField label={t('teams.name')} value={name} onValue={setName} required maxLength={100} />
          <TextField label={t('teams.descriptionField')} value={description} onValue={setDescription} maxLength={500} />
          <MemberPicker orgId={orgId} selected={memberIds} onChange={setMemberIds} />
          <ErrorAlert error={update.error} />
          {update.isSuccess && !update.isPending ? (
            <Notice tone="success">
              <p>{t('common.saved')}</p>
            </Notice>
          ) : null}
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={update.isPending}>
              {update.isPending ? t('common.saving') : t('common.saveChanges')}
            </button>
          </div>
        </form>
      </Section>
      <Section title={t('teams.deleteTitle')} description={t('teams.deleteDescription')} tone="danger">
        <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)}>
          {t('teams.delete')}
        </button>
      </Section>
      <ConfirmDialog
        open={confirming}
        title={t('teams.deleteConfirmTitle', { name: team.name })}
        confirmLabel={t('teams.delete')}
        danger
        pending={remove.isPending}
        error={remove.error}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          remove.mutate(team.id, { onSuccess: () => navigate(`/orgs/${orgId}/teams`, { replace: true }) })
        }
      >
        <p>{t('teams.deleteConfirmBody')}</p>
      </ConfirmDialog>
    </>
  );
}

function TeamReadOnly({ team }: { team: Team }) {
  const t = useT();
  return (
    <Section title={t('teams.members')}>
      {team.members.length === 0 ? (
        <EmptyState title={t('teams.noMembers')} />
      ) : (
        <ul className="simple-list">
          {team.members.map((member) => (
            <li key={member.accountId}>{member.name}</li>
          ))}
        </ul>
      )}
    </Section>
  );
}

export function TeamDetailPage({ teamId }: { teamId: string }) {
  const t = useT();
  const org = useCurrentOrg();
  const team = useTeam(org.id, teamId);
  useDocumentTitle(team.data?.name ?? t('nav.teams'));

  if (team.isPending) return <Spinner />;
  if (team.isError) {
    if (isApiError(team.error) && team.error.status === 404) return <NotFound />;
    return <ErrorAlert error={team.error} />;
  }

  return (
    <div className="page page-narrow">
      <nav aria-label={t('common.breadcrumb')} className="breadcrumb">
        <Link href={`/orgs/${org.id}/teams`}>{t('nav.teams')}</Link>
        <span aria-hidden="true">/</span>
        <span aria-current="page">{team.data.name}</span>
      </nav>
      <PageHeader
        title={team.data.name}
        description={team.data.description || memberCountLabel(t, team.data.memberCount)}
      />
      {org.abilities.manageTeams ? (
        <TeamEditor key={team.data.id} orgId={org.id} team={team.data} />
      ) : (
        <TeamReadOnly team={team.data} />
      )}
    </div>
  );
}
