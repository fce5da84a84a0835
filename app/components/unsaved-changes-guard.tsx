import { useBeforeUnload, useBlocker } from "@remix-run/react";
import { useCallback } from "react";
import { ConfirmDialog } from "./confirm-dialog";

// Asks before an edit that has not been saved is left behind: a link or back/forward inside the
// console opens the console's dialog; closing or reloading the tab gets the browser's own prompt
// (the only one a page may show then).

export function UnsavedChangesGuard({ unsaved, what }: { unsaved: boolean; what: string }) {
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      unsaved && (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search),
  );
  useBeforeUnload(
    useCallback(
      (event: BeforeUnloadEvent) => {
        if (!unsaved) return;
        event.preventDefault();
        // Older browsers show the prompt only when returnValue is set.
        event.returnValue = "";
      },
      [unsaved],
    ),
  );
  return (
    <ConfirmDialog
      open={blocker.state === "blocked"}
      title="Leave without saving?"
      confirmLabel="Leave without saving"
      tone="danger"
      onConfirm={() => blocker.proceed?.()}
      onCancel={() => blocker.reset?.()}
    >
      <p>{what} are not saved yet. Leaving this page discards them.</p>
    </ConfirmDialog>
  );
}
