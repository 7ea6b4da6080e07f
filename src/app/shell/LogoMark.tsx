/** Murmur's mark: a speech bubble holding a soft sound wave (the same drawing as the icons). */
export function LogoMark({ className }: { readonly className?: string }) {
  return (
    <svg className={className} viewBox="0 0 64 64" width="32" height="32" aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id="murmur-logo-bg" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#6d5cf0" />
          <stop offset="1" stopColor="#3b2bbf" />
        </linearGradient>
      </defs>
      <rect width="64" height="64" rx="16" fill="url(#murmur-logo-bg)" />
      <path d="M18 14h28a8 8 0 0 1 8 8v16a8 8 0 0 1-8 8H30l-9 7.5V46h-3a8 8 0 0 1-8-8V22a8 8 0 0 1 8-8z" fill="#fff" />
      <g fill="#4a3bd0">
        <rect x="19.5" y="27" width="4" height="6" rx="2" />
        <rect x="26.5" y="22" width="4" height="16" rx="2" />
        <rect x="33.5" y="24.5" width="4" height="11" rx="2" />
        <rect x="40.5" y="28" width="4" height="4" rx="2" />
      </g>
    </svg>
  );
}
