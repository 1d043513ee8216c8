const tags = { ja: 'ja-JP', en: 'en-US' } as const;

export function formatDateTime(iso: string | null | undefined, locale: 'ja' | 'en'): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(tags[locale], { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatDate(iso: string | null | undefined, locale: 'ja' | 'en'): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(tags[locale], { dateStyle: 'medium' }).format(date);
}

export function formatNumber(value: number, locale: 'ja' | 'en'): string {
  return new Intl.NumberFormat(tags[locale]).format(value);
}

export function initials(name: string): string {
  const trimmed = name.trim();
  if (/^[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]/.test(trimmed)) return trimmed.slice(0, 1);
  const parts = trimmed.split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '';
  const second = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + second).toUpperCase() || '?';
}

export function safeNextPath(next: string | null | undefined): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  return next;
}

export function describeUserAgent(userAgent: string | null): string {
  if (!userAgent) return '—';
  const browser =
    /Edg\//.test(userAgent) ? 'Edge'
    : /Firefox\//.test(userAgent) ? 'Firefox'
    : /Chrom(e|ium)\//.test(userAgent) ? 'Chrome'
    : /Safari\//.test(userAgent) ? 'Safari'
    : null;
  const os =
    /Windows/.test(userAgent) ? 'Windows'
    : /Mac OS X|Macintosh/.test(userAgent) ? 'macOS'
    : /Android/.test(userAgent) ? 'Android'
    : /iPhone|iPad/.test(userAgent) ? 'iOS'
    : /Linux/.test(userAgent) ? 'Linux'
    : null;
  if (browser && os) return `${browser} · ${os}`;
  return browser ?? os ?? (userAgent || '—');
}

export function formatBytes(bytes: number, locale: 'ja' | 'en'): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(tags[locale], { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

/** Time of day to the second, for logs where the order of events matters. */
export function formatTime(iso: string, locale: 'ja' | 'en'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(tags[locale], { timeStyle: 'medium' }).format(date);
}
