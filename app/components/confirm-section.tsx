import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { Button } from "./button";

// The confirmation a page shows when its action asked instead of acting (a form posted without
// JavaScript, so no dialog ran): the question and its consequence, a button that posts the same
// change again with confirm=yes, and Cancel, back to the page as it was.

interface Props {
  title: string;
  message: string;
  /** The change asked about, posted again as hidden fields. */
  fields: Record<string, string>;
  confirmLabel: string;
  cancelTo: string;
  children?: ReactNode;
}

export function ConfirmSection({ title, message, fields, confirmLabel, cancelTo, children }: Props) {
  return (
    <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-[13px] text-amber-900">
      <p className="font-medium">
        {title} {message}
      </p>
      {children}
      <Form method="post" className="mt-2 flex gap-2">
        {Object.entries(fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="confirm" value="yes" />
        <Button type="submit" variant="danger" size="sm">
          {confirmLabel}
        </Button>
        <Link to={cancelTo} className="rounded-md border border-amber-300 px-3 py-1 text-[13px] font-medium">
          Cancel
        </Link>
      </Form>
    </div>
  );
}
