import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { useT, type MessageKey } from '../../../app/i18n';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { Spinner } from '../../../components/Feedback';
import { SelectField } from '../../../components/Field';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { useProjectAdmins, useProjectSettingWrite, useProjectTeams, useProjectUsers, useSpaceTeams, useSpaceUsers } from '../api';
import { CategoriesSettings, CustomFieldsSettings, IssueTypesSettings, MilestonesSettings, StatusesSettings } from '../components/SettingsLists';
import { WebhooksSettings } from '../components/WebhooksSettings';
import { useCurrentProject } from '../project-context';
import type { Named } from '../types';
import { useProjectAdmin } from '../use-project-admin';

const TABS = ['members', 'admins', 'teams', 'issueTypes', 'statuses', 'categories', 'milestones', 'customFields', 'webhooks'] as const;
type Tab = (typeof TABS)[number];
/** Offered to project administrators only (the server refuses the others anyway). */
const ADMIN_TABS: ReadonlySet<Tab> = new Set(['teams', 'webhooks']);

/** A list of users or teams with "add" (pick from candidates) and "remove", sent as `<field>=<id>`. */
function PeopleEditor({ what, field, rows, candidates, pending, error, testId }: {
  what: 'users' | 'administrators' | 'teams';
  field: 'userId' | 'teamId';
  rows: Named[];
  candidates: Named[];
  pending: boolean;
  error: unknown;
  testId: string;
}) {
  const t = useT();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const write = useProjectSettingWrite(org.id, project.projectKey, what);
  const present = new Set(rows.map((r) => r.id));
  const options = candidates.filter((c) => !present.has(c.id));
  const [picked, setPicked] = useState('');
  const choice = picked && options.some((o) => String(o.id) === picked) ? picked : String(options[0]?.id ?? '');
  const add = (event: FormEvent) => {
    event.preventDefault();
    if (choice) write.mutate({ method: 'POST', params: { [field]: Number(choice) } }, { onSuccess: () => setPicked('') });
  };
  return (
    <div className="stack">
      {pending ? <Spinner /> : null}
      <ErrorAlert error={error} />
      <ul className="row-list" data-testid={testId}>
        {rows.map((row) => (
          <li key={row.id} className="row-item">
            <div className="row-main">
              <span className="row-title">{row.name}</span>
            </div>
            <button
              type="button"
              className="btn btn-sm btn-ghost-danger"
              disabled={write.isPending}
              onClick={() => write.mutate({ method: 'DELETE', params: { [field]: row.id } })}
              aria-label={t('projectSettings.removeNamed', { name: row.name })}
            >
              {t('projectSettings.remove')}
            </button>
          </li>
        ))}
      </ul>
      {options.length > 0 ? (
        <form className="form-inline" onSubmit={add} data-testid={`${testId}-form`}>
          <SelectField label={t(`projectSettings.add.${what}`)} value={choice} onValue={setPicked} options={options.map((o) => ({ value: String(o.id), label: o.name }))} data-testid={`${testId}-pick`} />
          <div className="form-inline-action">
            <button type="submit" className="btn btn-primary" disabled={write.isPending} data-testid={`${testId}-add`}>
              {t('projectSettings.add')}
            </button>
          </div>
        </form>
      ) : null}
      <ErrorAlert error={write.error} />
    </div>
  );
}

function MembersSettings() {
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const members = useProjectUsers(org.id, project.projectKey);
  const everyone = useSpaceUsers(org.id);
  return <PeopleEditor what="users" field="userId" rows={members.data ?? []} candidates={everyone.data ?? []} pending={members.isPending} error={members.error ?? everyone.error} testId="settings-members" />;
}

function AdminsSettings() {
  const t = useT();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const admins = useProjectAdmins(org.id, project.projectKey);
  const members = useProjectUsers(org.id, project.projectKey);
  return (
    <>
      <p className="muted">{t('projectSettings.adminsHint')}</p>
      <PeopleEditor
        what="administrators"
        field="userId"
        rows={admins.data ?? []}
        candidates={members.data ?? []}
        pending={admins.isPending}
        error={admins.error}
        testId="settings-admins"
      />
    </>
  );
}

function TeamsSettings() {
  const t = useT();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const teams = useProjectTeams(org.id, project.projectKey);
  const all = useSpaceTeams(org.id);
  if (teams.error && (teams.error as { status?: number }).status === 404) return <Notice>{t('projectSettings.teamsUnavailable')}</Notice>;
  return <PeopleEditor what="teams" field="teamId" rows={teams.data ?? []} candidates={all.data ?? []} pending={teams.isPending} error={teams.error} testId="settings-teams" />;
}

export function ProjectSettingsPage({ tab }: { tab: string }) {
  const t = useT();
  const org = useCurrentOrg();
  const project = useCurrentProject();
  const admin = useProjectAdmin(org.id, project.projectKey);
  const tabs = TABS.filter((name) => admin.isAdmin || !ADMIN_TABS.has(name));
  const asked: Tab = (TABS as readonly string[]).includes(tab) ? (tab as Tab) : 'members';
  const current: Tab = ADMIN_TABS.has(asked) && admin.known && !admin.isAdmin ? 'members' : asked;
  const waiting = ADMIN_TABS.has(current) && !admin.known;
  useDocumentTitle(`${t('projects.tab.settings')} · ${project.name}`);
  const base = `/orgs/${org.id}/projects/${project.projectKey}/settings`;
  return (
    <section className="page-section" aria-labelledby="settings-heading" data-testid="project-settings">
      <h2 id="settings-heading" className="section-title">
        {t('projects.tab.settings')}
      </h2>
      <nav className="tabs" aria-label={t('projectSettings.sections')}>
        {tabs.map((name) => (
          <Link key={name} href={`${base}/${name}`} className="tab" aria-current={name === current ? 'page' : undefined} data-testid={`settings-tab-${name}`}>
            {t(`projectSettings.tab.${name}` as MessageKey)}
          </Link>
        ))}
      </nav>
      {current === 'members' ? <MembersSettings /> : null}
      {current === 'admins' ? <AdminsSettings /> : null}
      {current === 'teams' && !waiting ? <TeamsSettings /> : null}
      {current === 'issueTypes' ? <IssueTypesSettings /> : null}
      {current === 'statuses' ? <StatusesSettings /> : null}
      {current === 'categories' ? <CategoriesSettings /> : null}
      {current === 'milestones' ? <MilestonesSettings /> : null}
      {current === 'customFields' ? <CustomFieldsSettings /> : null}
      {current === 'webhooks' && !waiting ? <WebhooksSettings /> : null}
      {waiting ? <Spinner /> : null}
    </section>
  );
}
