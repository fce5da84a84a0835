// Class strings more than one component uses, and `cx` to join them (prettier's Tailwind plugin
// sorts the classes inside `cx(...)` calls too, see package.json).

/** Joins class names, skipping the false, null and undefined of conditions. */
export function cx(...classes: Array<string | false | null | undefined>): string {
  return classes.filter(Boolean).join(" ");
}

/** The keyboard focus ring of every interactive element (no ring for mouse clicks). */
export const focusRing = "focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500";

/** A page's one heading. */
export const pageTitle = "text-xl font-semibold tracking-tight text-slate-900";
