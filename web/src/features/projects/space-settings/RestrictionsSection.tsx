import { useT } from '../../../app/i18n';
import { ErrorAlert, Notice } from '../../../components/ErrorAlert';
import { EmptyState, Section, Spinner } from '../../../components/Feedback';
import { useMembers } from '../../identity/org-api';
import type { Member } from '../../identity/types';
import { useRestrictions, useSetRestriction, type Restriction } from './space-settings-api';

const RESTRICTIONS: Restriction[] = ['none', 'add_issues_only', 'view_only'];

function MemberRow({ orgId, member, restriction }: { orgId: string; member: Member; restriction: Restriction }) {
  const t = useT();
  const save = useSetRestriction(orgId);
  return (
    <tr data-testid={`restriction-row-${member.email}`}>
      <td className="strong">{member.name}</td>
      <td>{member.email}</td>
      <td>
        {member.role === 'admin' ? (
          <span data-testid="restriction-admin">{t('spaceSettings.administrator')}</span>
        ) : (
          <>
            <select
              className="select"
              aria-label={t('spaceSettings.restrictionFor', { name: member.name })}
              value={save.isPending && save.variables ? save.variables.restriction : restriction}
              disabled={save.isPending}
              onChange={(event) => save.mutate({ accountId: member.accountId, restriction: event.target.value as Restriction })}
              data-testid="restriction-select"
            >
              {RESTRICTIONS.map((value) => (
                <option key={value} value={value}>
                  {t(`spaceSettings.restriction.${value}`)}
                </option>
              ))}
            </select>
            <ErrorAlert error={save.error} />
          </>
        )}
      </td>
    </tr>
  );
}

/** Members and guests can be limited in the projects space to Backlog's roleType 3 or 4; admins never. */
export function RestrictionsSection({ orgId, orgName }: { orgId: string; orgName: string }) {
  const t = useT();
  const members = useMembers(orgId);
  const restrictions = useRestrictions(orgId);

  let body;
  if (members.isPending || restrictions.isPending) body = <Spinner />;
  else if (members.isError || restrictions.isError) body = <ErrorAlert error={members.error ?? restrictions.error} />;
  else if (members.data.length === 0) body = <EmptyState title={t('spaceSettings.noMembers')} />;
  else
    body = (
      <div className="table-wrap">
        <table className="table" data-testid="restrictions-table">
          <caption className="sr-only">{t('spaceSettings.restrictionsCaption', { org: orgName })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('spaceSettings.colName')}</th>
              <th scope="col">{t('spaceSettings.colEmail')}</th>
              <th scope="col">{t('spaceSettings.colRestriction')}</th>
            </tr>
          </thead>
          <tbody>
            {members.data.map((member) => (
              <MemberRow key={member.accountId} orgId={orgId} member={member} restriction={restrictions.data.get(member.accountId) ?? 'none'} />
            ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <Section title={t('spaceSettings.restrictionsTitle')} description={t('spaceSettings.restrictionsBody')}>
      <Notice>
        <p>{t('spaceSettings.restrictionsNote')}</p>
      </Notice>
      {body}
    </Section>
  );
}
