import { data } from "@remix-run/node";
import type { FieldErrors } from "./forms.server";

// Values from a page's URL that end up cast by PostgreSQL (a date filter, a keyset cursor): they
// are checked here so that a hand-edited URL gets a 400 that names the parameter, not a 22008
// or 22P02 from deep inside a query (a 500 with a stack trace in the log).

export interface BadQueryBody {
  message: string;
  fieldErrors: FieldErrors;
}

/** A 400 for the page's error boundary, naming the parameters that are wrong. */
export const badQuery = (fieldErrors: FieldErrors) => {
  const listed = Object.entries(fieldErrors).map(([field, message]) => `${field}: ${message}`);
  return data<BadQueryBody>(
    { message: `Some of the address's parameters are not valid (${listed.join("; ")}).`, fieldErrors },
    { status: 400 },
  );
};

/** "YYYY-MM-DD" that is a real day of the calendar (not 2025-13-45, not 2025-02-30). */
export function isCalendarDay(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A timestamp as PostgreSQL writes one as text ("2025-01-02 10:11:12.123+00"), or in ISO form. */
export function isTimestampText(text: string): boolean {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)?$/.exec(text);
  if (!match || !isCalendarDay(match[1]!)) return false;
  return Number(match[2]) < 24 && Number(match[3]) < 60 && Number(match[4]) < 60;
}

/** A whole number PostgreSQL's integer takes. */
export const isInt4Text = (text: string): boolean =>
  /^-?\d{1,10}$/.test(text) && Math.abs(Number(text)) <= 2_147_483_647;
