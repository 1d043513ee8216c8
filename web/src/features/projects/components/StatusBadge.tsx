import type { Status } from '../types';

/** The status name on its Backlog colour; white text passes AA contrast on every palette colour we allow. */
export function StatusBadge({ status }: { status: Pick<Status, 'name' | 'color'> }) {
  return (
    <span className="badge status-badge" style={{ backgroundColor: darken(status.color), color: '#fff' }} data-testid="status-badge">
      {status.name}
    </span>
  );
}

/** Backlog's palette has light colours (#eda62a…); a darker shade keeps white text readable (WCAG AA). */
function darken(hex: string): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m?.[1]) return '#393939';
  const n = parseInt(m[1], 16);
  const scale = (v: number) => Math.round(v * 0.62);
  const r = scale((n >> 16) & 255);
  const g = scale((n >> 8) & 255);
  const b = scale(n & 255);
  return `#${((r << 16) | (g << 8) | b).toString(16).padStart(6, '0')}`;
}
