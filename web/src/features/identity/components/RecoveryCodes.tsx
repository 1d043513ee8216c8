import { useT } from '../../../app/i18n';
import { CopyButton, DownloadButton } from '../../../components/CopyButton';

export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const t = useT();
  const text = codes.join('\n');
  return (
    <div className="recovery" data-testid="recovery-codes">
      <p className="recovery-title">{t('twoFactor.codesTitle')}</p>
      <p className="muted">{t('twoFactor.codesBody')}</p>
      <ol className="recovery-list">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="button-row">
        <CopyButton text={text} />
        <DownloadButton text={`${text}\n`} filename="toride-recovery-codes.txt" label={t('common.download')} />
        <button type="button" className="btn btn-sm btn-primary" onClick={onDone}>
          {t('twoFactor.codesDone')}
        </button>
      </div>
    </div>
  );
}
