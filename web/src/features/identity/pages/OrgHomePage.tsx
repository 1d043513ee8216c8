import { Link } from 'wouter';
import { useLocale, useT } from '../../../app/i18n';
import { useSignedInMe } from '../../../app/session';
import { useCurrentOrg } from '../../../app/shell/org-context';
import { Badge } from '../../../components/Feedback';
import { Icon, type IconName } from '../../../components/Icon';
import { formatDate } from '../../../lib/format';
import { useDocumentTitle } from '../../../lib/use-document-title';
import type { MessageKey } from '../../../app/i18n';

interface Tile {
  path: string;
  icon: IconName;
  title: MessageKey;
  body: MessageKey;
  soon?: boolean;
}

const modules: Tile[] = [
  { path: 'projects', icon: 'projects', title: 'nav.projects', body: 'soon.projects.short', soon: true },
  { path: 'diagrams', icon: 'diagrams', title: 'nav.diagrams', body: 'soon.diagrams.short', soon: true },
  { path: 'chat', icon: 'chat', title: 'nav.chat', body: 'soon.chat.short', soon: true },
];

const people: Tile[] = [
  { path: 'members', icon: 'members', title: 'nav.members', body: 'home.membersBody' },
  { path: 'teams', icon: 'teams', title: 'nav.teams', body: 'home.teamsBody' },
];

function TileCard({ base, tile }: { base: string; tile: Tile }) {
  const t = useT();
  return (
    <Link href={`${base}/${tile.path}`} className="tile">
      <span className="tile-icon">
        <Icon name={tile.icon} size={20} />
      </span>
      <span className="tile-title">
        {t(tile.title)}
        {tile.soon ? <Badge>{t('common.comingSoon')}</Badge> : null}
      </span>
      <span className="tile-body">{t(tile.body)}</span>
    </Link>
  );
}

export function OrgHomePage() {
  const t = useT();
  const { locale } = useLocale();
  const me = useSignedInMe();
  const org = useCurrentOrg();
  const base = `/orgs/${org.id}`;
  useDocumentTitle(org.name);

  return (
    <div className="page">
      <header className="home-hero">
        <p className="eyebrow">{t('home.welcome', { name: me.account.name })}</p>
        <h1 className="page-title page-title-lg">{org.name}</h1>
        <p className="page-description">
          {t('home.meta', { role: t(`role.${org.myRole}`), date: formatDate(org.createdAt, locale) })}
        </p>
      </header>
      <h2 className="section-title">{t('home.modules')}</h2>
      <div className="tile-grid">
        {modules.map((tile) => (
          <TileCard key={tile.path} base={base} tile={tile} />
        ))}
      </div>
      <h2 className="section-title">{t('home.people')}</h2>
      <div className="tile-grid">
        {people.map((tile) => (
          <TileCard key={tile.path} base={base} tile={tile} />
        ))}
        {org.abilities.manageOrg ? (
          <TileCard base={base} tile={{ path: 'settings', icon: 'settings', title: 'nav.settings', body: 'home.settingsBody' }} />
        ) : null}
      </div>
    </div>
  );
}
