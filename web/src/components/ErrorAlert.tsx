import { errorMessage } from '../app/errors';
import { useT } from '../app/i18n';
import type { ReactNode } from 'react';

export function ErrorAlert({ error, children }: { error?: unknown; children?: ReactNode }) {
  const t = useT();
  if (!error && !children) return null;
  return (
    <div role="alert" data-testid="error" className="alert alert-error">
      {error ? <p>{errorMessage(error, t)}</p> : null}
      {children}
    </div>
  );
}

export function Notice({
  tone = 'info',
  children,
  testId,
}: {
  tone?: 'info' | 'success' | 'warning';
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div role="status" className={`alert alert-${tone}`} data-testid={testId}>
      {children}
    </div>
  );
}
