import { Link } from 'wouter';
import { useT } from '../../../app/i18n';
import { useSignedInMe } from '../../../app/session';
import { Notice } from '../../../components/ErrorAlert';
import { utcDay } from '../api';

const MESSAGES = {
  deleted: 'lifecycle.banner.deleted',
  cancelled: 'lifecycle.banner.cancelled',
  suspended: 'lifecycle.banner.suspended',
} as const;

/**
 * On every page of an org whose contract is ending (W4.1–W4.3), from `GET /me`: what happens on
 * which day, and for admins the way to the data & contract page (where a deleted org is restored).
 */
export function LifecycleBanner({ orgId }: { orgId: string }) {
  const t = useT();
  const org = useSignedInMe().orgs.find((o) => o.id === orgId);
  const state = org?.lifecycle?.state;
  if (!org?.lifecycle || !state || !(state in MESSAGES)) return null;
  const date = state === 'deleted' ? org.lifecycle.purgeStartsAt : org.lifecycle.deletesAt;
  return (
    <Notice tone="warning" testId="lifecycle-banner">
      <p data-state={state}>{t(MESSAGES[state as keyof typeof MESSAGES], { date: date ? utcDay(date) : t('lifecycle.banner.noDate') })}</p>
      {org.role === 'admin' ? (
        <p>
          <Link href={`/orgs/${orgId}/settings/data`} data-testid="lifecycle-banner-link">
            {t('lifecycle.banner.link')}
          </Link>
        </p>
      ) : null}
    </Notice>
  );
}
