import { z } from "zod";

// zod compiles object parsers with `new Function` when it may, and finds out whether it may by
// trying, which the page's CSP (no 'unsafe-eval') reports as a violation on every page whose
// module builds a schema. In the browser the interpreter is plenty; the server keeps the compiler.
// Called by root as its module loads, before any route module builds a schema (a bare import
// would be dropped: the package declares no side effects).
export function parseZodWithoutEvalInBrowser(): void {
  if (typeof document !== "undefined") z.config({ jitless: true });
}
