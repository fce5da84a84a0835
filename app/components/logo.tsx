/** The Symbol Desk mark: three bars of a ranked list. Decorative; the name is always beside it. */
export function Logo({ className = "" }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="#4f46e5" />
      <rect x="8" y="8.5" width="16" height="3.5" rx="1.75" fill="#fff" />
      <rect x="8" y="14.25" width="11" height="3.5" rx="1.75" fill="#c7d2fe" />
      <rect x="8" y="20" width="6" height="3.5" rx="1.75" fill="#a5b4fc" />
    </svg>
  );
}
