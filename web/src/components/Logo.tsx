export function LogoMark({ size = 24 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" className="logo-mark">
      <rect width="32" height="32" rx="7" className="logo-bg" />
      <path d="M8 24V12h3v3h3v-5h4v5h3v-3h3v12z" className="logo-fg" />
    </svg>
  );
}

export function Logo() {
  return (
    <span className="logo">
      <LogoMark />
      <span className="logo-text">Toride</span>
    </span>
  );
}
