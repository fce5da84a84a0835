import { type ReactNode, useEffect, useId, useRef } from "react";
import { Button } from "~/components/button";
import { cx } from "~/components/classes";

// A modal confirmation on the native <dialog>: focus moves into it and stays there, Escape
// cancels, and the title and the consequence are what a screen reader announces.

interface Props {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  tone?: "danger" | "primary";
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog({ open, title, children, confirmLabel, tone = "primary", onConfirm, onCancel }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
      className={cx(
        "m-auto w-full max-w-md rounded-lg border border-slate-200 bg-white p-0",
        "text-left shadow-xl backdrop:bg-slate-900/40",
      )}
    >
      {open ? (
        <div className="p-5">
          <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          <div id={`${id}-body`} className="mt-2 space-y-2 text-[13px] leading-5 text-slate-600">
            {children}
          </div>
          <div className="mt-5 flex justify-end gap-2">
            <Button
              variant="secondary"
              // A dialog that asks before a destructive step puts focus on the safe choice.
              // eslint-disable-next-line jsx-a11y/no-autofocus
              autoFocus
              onClick={onCancel}
            >
              Cancel
            </Button>
            <Button variant={tone} onClick={onConfirm}>
              {confirmLabel}
            </Button>
          </div>
        </div>
      ) : null}
    </dialog>
  );
}
