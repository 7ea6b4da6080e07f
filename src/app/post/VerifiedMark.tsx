/** The verified-signature mark (shown only for verified posts). */
export function VerifiedMark() {
  return (
    <span
      className="post-verified"
      data-testid="verified"
      role="img"
      aria-label="Verified signature"
      title="Verified signature"
    >
      <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d={
            'M10 1.5l2.1 1.6 2.6-.2.9 2.5 2.2 1.4-.7 2.5.7 2.5-2.2 1.4-.9 2.5-2.6-.2' +
            'L10 18.5l-2.1-1.6-2.6.2-.9-2.5-2.2-1.4.7-2.5-.7-2.5 2.2-1.4.9-2.5 2.6.2z'
          }
        />
        <path
          d="M6.6 10.2l2.3 2.3 4.6-4.8"
          fill="none"
          stroke="var(--verified-check)"
          strokeWidth="1.9"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
    </span>
  );
}
