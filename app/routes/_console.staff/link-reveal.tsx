import { useState } from "react";
import { Button } from "~/components/button";
import { When } from "~/components/status-pills";
import { cx } from "~/components/classes";

// A new invitation or reset link, shown once right after it was made: only its hash is stored,
// so this is the admin's only chance to copy it and pass it on.

export function LinkReveal({ link }: { link: { url: string; email: string; purpose: string; expiresAt: string } }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-[13px] text-emerald-900">
      <p className="font-medium">
        {link.purpose === "invite" ? "Invitation" : "Password reset"} link for {link.email}. Copy it now and pass it on:
        it is shown only this once, and works once until <When at={link.expiresAt} />.
      </p>
      <div className="mt-2 flex items-center gap-2">
        <code
          aria-label={`Link for ${link.email}`}
          className={cx(
            "block min-w-0 flex-1 rounded bg-white px-2 py-1.5 font-mono text-xs break-all ring-1",
            "ring-emerald-200",
          )}
        >
          {link.url}
        </code>
        <Button
          variant="subtle"
          size="xs"
          onClick={() => {
            void navigator.clipboard?.writeText(link.url).then(() => setCopied(true));
          }}
        >
          {copied ? "Copied" : "Copy link"}
        </Button>
      </div>
    </div>
  );
}
