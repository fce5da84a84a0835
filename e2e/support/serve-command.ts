import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT_DIR } from "./run-env.js";

// How the tests, the scale-out runs and the bench start the console: as `npm run serve` does
// (package.json, the one home of the server's Node options), on the build of this checkout.

/** The build the server serves; SYMBOL_DESK_BUILD_DIR lets several checkouts' runs share a machine. */
const BUILT_SERVER = path.join(process.env.SYMBOL_DESK_BUILD_DIR ?? "build", "index.js");

/** What `npm run serve` gives node, Node's options included, then the build: for `spawn(node, …)`. */
export function serveArgs(): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(ROOT_DIR, "package.json"), "utf8")) as {
    scripts: { serve: string };
  };
  const [command, ...args] = scripts.serve.split(/\s+/);
  if (command !== "node") throw new Error(`npm run serve runs ${command}, not node: it cannot be started as it does`);
  return [...args, BUILT_SERVER];
}
