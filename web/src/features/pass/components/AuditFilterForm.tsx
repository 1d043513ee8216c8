import { useState, type FormEvent } from 'react';
import { useT } from '../../../app/i18n';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { SelectField, TextField } from '../../../components/Field';
import { AUDIT_CATEGORIES, AUDIT_OUTCOMES, type AuditFilters } from '../api';
import { categoryLabel, localInputToIso } from '../labels';

interface Draft {
  from: string;
  to: string;
  actor: string;
  action: string;
  category: string;
  outcome: string;
}

const emptyDraft: Draft = { from: '', to: '', actor: '', action: '', category: '', outcome: '' };

function toFilters(draft: Draft): AuditFilters {
  const filters: AuditFilters = {};
  const from = localInputToIso(draft.from);
  const to = localInputToIso(draft.to);
  if (from) filters.from = from;
  if (to) filters.to = to;
  if (draft.actor.trim()) filters.actor = draft.actor.trim();
  if (draft.action.trim()) filters.action = draft.action.trim();
  if (draft.category) filters.category = draft.category;
  const outcome = AUDIT_OUTCOMES.find((item) => item === draft.outcome);
  if (outcome) filters.outcome = outcome;
  return filters;
}

export function AuditFilterForm({ onApply }: { onApply: (filters: AuditFilters) => void }) {
  const t = useT();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [rangeError, setRangeError] = useState(false);
  const set = (key: keyof Draft) => (value: string) => setDraft((current) => ({ ...current, [key]: value }));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const filters = toFilters(draft);
    const invalidRange = Boolean(filters.from && filters.to && filters.from >= filters.to);
    setRangeError(invalidRange);
    if (!invalidRange) onApply(filters);
  };

  const onClear = () => {
    setDraft(emptyDraft);
    setRangeError(false);
    onApply({});
  };

  const any = { value: '', label: t('audit.any') };
  return (
    <form className="form" onSubmit={onSubmit} data-testid="audit-filter-form">
      <div className="filter-grid">
        <TextField type="datetime-local" label={t('audit.from')} hint={t('audit.timeHint')} value={draft.from} onValue={set('from')} />
        <TextField type="datetime-local" label={t('audit.to')} hint={t('audit.timeHint')} value={draft.to} onValue={set('to')} />
        <TextField
          label={t('audit.actor')}
          placeholder={t('audit.actorPlaceholder')}
          value={draft.actor}
          onValue={set('actor')}
          maxLength={254}
          autoComplete="off"
        />
        <TextField
          label={t('audit.action')}
          placeholder={t('audit.actionPlaceholder')}
          value={draft.action}
          onValue={set('action')}
          maxLength={100}
          autoComplete="off"
          spellCheck={false}
        />
        <SelectField
          label={t('audit.category')}
          value={draft.category}
          onValue={set('category')}
          options={[any, ...AUDIT_CATEGORIES.map((category) => ({ value: category, label: categoryLabel(category, t) }))]}
        />
        <SelectField
          label={t('audit.outcome')}
          value={draft.outcome}
          onValue={set('outcome')}
          options={[any, ...AUDIT_OUTCOMES.map((outcome) => ({ value: outcome, label: t(`audit.outcome.${outcome}`) }))]}
        />
      </div>
      {rangeError ? (
        <ErrorAlert>
          <p>{t('audit.invalidRange')}</p>
        </ErrorAlert>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary">
          {t('audit.apply')}
        </button>
        <button type="button" className="btn" onClick={onClear}>
          {t('audit.clear')}
        </button>
      </div>
    </form>
  );
}
