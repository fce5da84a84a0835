import { useFetcher } from "@remix-run/react";
import { useState } from "react";
import { Button } from "~/components/button";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { SimpleTable } from "~/components/simple-table";
import { When } from "~/components/status-pills";
import type { action } from "./route";

// One's own sessions: where (the browser), started, last used; end one, or all of them.

export interface SessionView {
  key: string;
  current: boolean;
  browser: string;
  startedAt: string;
  lastUsedAt: string | null;
}

export function SessionList({ sessions }: { sessions: SessionView[] }) {
  const fetcher = useFetcher<typeof action>();
  const [confirming, setConfirming] = useState<SessionView | "all" | null>(null);
  const busy = fetcher.state !== "idle";
  const result = fetcher.data;
  return (
    <section aria-labelledby="sessions-heading" className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
      <div className="flex items-center justify-between gap-3">
        <h2 id="sessions-heading" className="text-sm font-semibold text-slate-900">
          Your sessions
        </h2>
        <Button variant="dangerSubtle" size="xs" disabled={busy} onClick={() => setConfirming("all")}>
          Sign out everywhere
        </Button>
      </div>
      <div aria-live="polite" className="mt-2 text-xs">
        {busy ? <p className="text-slate-500">Ending session…</p> : null}
        {!busy && result?.message ? (
          <p role={result.ok ? "status" : "alert"} className={result.ok ? "text-emerald-700" : "text-red-700"}>
            {result.message}
          </p>
        ) : null}
      </div>
      {sessions.length === 0 ? (
        <p className="mt-2 text-[13px] text-slate-500">No other sessions.</p>
      ) : (
        <SimpleTable
          className="mt-2"
          caption="Your signed-in sessions, the most recently used first"
          columns={[
            { label: "Browser" },
            { label: "Started" },
            { label: "Last used" },
            { label: "Actions", hidden: true },
          ]}
        >
          <tbody className="divide-y divide-slate-100">
            {sessions.map((session) => (
              <tr key={session.key}>
                <td className="py-1.5 pr-3">
                  {session.browser}
                  {session.current ? <span className="ml-1 text-xs text-emerald-700">(this browser)</span> : null}
                </td>
                <td className="py-1.5 pr-3 text-xs whitespace-nowrap text-slate-600">
                  <When at={session.startedAt} />
                </td>
                <td className="py-1.5 pr-3 text-xs whitespace-nowrap text-slate-600">
                  <When at={session.lastUsedAt} />
                </td>
                <td className="py-1.5 text-right">
                  <Button
                    variant="secondary"
                    size="xs"
                    disabled={busy}
                    onClick={() => setConfirming(session)}
                    aria-label={`End the session of ${session.browser}${session.current ? " (this browser)" : ""}`}
                  >
                    End session
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </SimpleTable>
      )}
      <ConfirmDialog
        open={confirming !== null}
        title={confirming === "all" ? "Sign out everywhere?" : "End this session?"}
        confirmLabel={confirming === "all" ? "Sign out everywhere" : "End session"}
        tone="danger"
        onCancel={() => setConfirming(null)}
        onConfirm={() => {
          const target = confirming;
          setConfirming(null);
          if (target === "all") fetcher.submit({ intent: "end-all" }, { method: "post" });
          else if (target) fetcher.submit({ intent: "end-session", session: target.key }, { method: "post" });
        }}
      >
        <p>
          {confirming === "all"
            ? "Every session of yours ends, this one included: you sign in again here and in every other browser."
            : confirming?.current
              ? "This is the browser you are using: you will be signed out here."
              : `${confirming?.browser ?? "That browser"} is signed out and must sign in again.`}
        </p>
      </ConfirmDialog>
    </section>
  );
}
