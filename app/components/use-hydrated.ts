import { useEffect, useState } from "react";

/**
 * False on the server and in the first client render, true once React has hydrated. Forms use
 * it to send `redirectTo` only when there is no JavaScript (a fetcher must not navigate away).
 */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
