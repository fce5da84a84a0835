import { z } from "zod";

// Failed preconditions as 4xx answers, in one shape: a JSON body `{ message }` written for people,
// which the console's error boundary shows and API-style callers can read. A thrown Response (not
// `data()`) so resource routes answer with the same body as pages.

export type PreconditionStatus = 400 | 403 | 404 | 409 | 413 | 415 | 422;

/** Stops the request with `status` and `{ message }`. */
export function refuse(status: PreconditionStatus, message: string): never {
  throw Response.json({ message }, { status });
}

/** `value`, or a `status` answer when it is missing (null, undefined or false). */
export function required<T>(value: T | null | undefined | false, status: PreconditionStatus, message: string): T {
  if (value === null || value === undefined || value === false) refuse(status, message);
  return value;
}

const uuid = z.guid();

/** A route parameter that must be a uuid (lower-cased), else 404 with `message`. */
export function uuidParam(value: string | undefined, message: string): string {
  const parsed = uuid.safeParse(value);
  return required(parsed.success && parsed.data.toLowerCase(), 404, message);
}
