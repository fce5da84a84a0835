import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";

// `npm run dev` runs this same server under `remix dev --manual`: remix dev rebuilds into the
// build directory and writes version.txt last; the server then imports the new build in place
// and prints the ready line remix dev waits for before it reloads the browser. The process (and
// so the database connection and the embedded database's lock) stays up across rebuilds: being
// killed with SIGKILL on every rebuild, as remix dev does without --manual, risks the data dir.

/** Imports the build at `buildPath`; `fresh` bypasses the module cache for a rebuilt one. */
export async function importBuild(buildPath: string, fresh = false): Promise<ServerBuild> {
  const url = pathToFileURL(buildPath).href;
  return (await import(fresh ? `${url}?t=${Date.now()}` : url)) as ServerBuild;
}

/** Calls `onBuild` with each new build of the directory `buildPath` lives in. */
export function reloadOnRebuild(buildPath: string, onBuild: (build: ServerBuild) => void): void {
  let pending: NodeJS.Timeout | undefined;
  fs.watch(path.dirname(buildPath), (_event, file) => {
    if (file !== "version.txt") return;
    // The compiler writes the file more than once in a burst: load the build once it settles.
    clearTimeout(pending);
    pending = setTimeout(() => {
      importBuild(buildPath, true).then(onBuild, (error: unknown) =>
        console.error("[server] the rebuilt app could not be loaded:", error),
      );
    }, 50);
  }).unref();
}
