import { data } from "@remix-run/node";
import { z } from "zod";
import { runChecks } from "#db/checks/index";
import { type CheckSummary, summarizeReport } from "#db/checks/summary";
import type { DbConnection } from "#db/client";
import { migrationInProgress } from "#db/migrator";
import { listDataQualityFigures } from "#db/queries/data-quality-figures";
import { type ReadinessReport, readinessReport } from "#db/readiness/report";
import { readSharedResult, storeSharedResult } from "#db/shared-results";
import { runEvery } from "./background-work.server";
import { readForm } from "./console-forms.server";
import { getDb } from "./db.server";
import { parseForm } from "./forms.server";
import { getLeadership } from "./instance.server";
import { describeFailure, readPanel } from "./panel-data.server";
import { requireStaff } from "./permissions.server";
import { REFRESH_INTENT } from "./refresh-intent";

// The staff pages' figures that scan the whole catalogue (v_symbol_data_quality, a run of every
// check, the go/no-go board) are read from snapshots stored in symbol_desk_shared_results, which
// every instance shares: a page costs one primary-key read whatever the catalogue's size, and says
// as of when. The instance that leads the background work (db/leadership.ts) retakes a snapshot
// once it is older than its interval, from the server's start-up on, whether or not anyone looks;
// "Refresh now" on a page retakes its snapshots at once. With none stored (a fresh install), the
// first page computes it once, stores it and says so; requests arriving meanwhile share that work.
// A GET never retakes a stored snapshot: only the POST and the background do.

export interface SnapshotKind<T> {
  key: string;
  /** What the snapshot holds, for log lines and messages. */
  what: string;
  /** Age after which the background retakes it. */
  refreshMs: number;
  compute(conn: DbConnection): Promise<T>;
}

export interface PageSnapshot<T> {
  value: T;
  takenAt: string;
  takenBy: string;
  /** No snapshot was stored: this request computed it. */
  computedNow: boolean;
}

export type StoredReadiness = Omit<ReadinessReport, "readAt"> & { readAt: string };
export type CheckSummaryResult = CheckSummary | { ok: false; message: string };

export const SNAPSHOTS = {
  figures: {
    key: "page:figures",
    what: "the data-quality figures",
    refreshMs: 60_000,
    // The view is 20250108's: while it is rolled back the snapshot holds the reason instead.
    compute: (conn) =>
      readPanel("The figures of v_symbol_data_quality", () => conn.read(null, (db) => listDataQualityFigures(db))),
  } satisfies SnapshotKind<unknown>,
  checks: {
    key: "page:check-summary",
    what: "the data-quality checks",
    refreshMs: 5 * 60_000,
    compute: async (conn): Promise<CheckSummaryResult> => summarizeReport(await runChecks(conn)),
  } satisfies SnapshotKind<unknown>,
  readiness: {
    key: "page:readiness",
    what: "the go/no-go board",
    refreshMs: 5 * 60_000,
    compute: async (conn): Promise<StoredReadiness> => {
      const report = await readinessReport(conn);
      return { ...report, readAt: report.readAt.toISOString() };
    },
  } satisfies SnapshotKind<unknown>,
};

type Kinds = typeof SNAPSHOTS;
type ValueOf<K extends SnapshotKind<unknown>> = Awaited<ReturnType<K["compute"]>>;
const ALL_KINDS: SnapshotKind<unknown>[] = Object.values(SNAPSHOTS);

declare global {
  // Shared by the server's own modules and the build's (two module instances in one process).
  var __symbolDeskPageSnapshots:
    | {
        taking: Map<string, Promise<PageSnapshot<unknown>>>;
        /** The last snapshot taken here when the shared table could not be written (rolled back). */
        local: Map<string, PageSnapshot<unknown>>;
        stale: boolean;
        looping: boolean;
      }
    | undefined;
}

const state = () =>
  (globalThis.__symbolDeskPageSnapshots ??= { taking: new Map(), local: new Map(), stale: false, looping: false });

/** Computes a snapshot live and stores it; a computation already under way in this process is shared. */
function takeSnapshot<T>(conn: DbConnection, kind: SnapshotKind<T>, by: string): Promise<PageSnapshot<T>> {
  const { taking, local } = state();
  const current = taking.get(kind.key) as Promise<PageSnapshot<T>> | undefined;
  if (current) return current;
  const started = (async () => {
    const value = await kind.compute(conn);
    const snapshot: PageSnapshot<T> = { value, takenAt: new Date().toISOString(), takenBy: by, computedNow: true };
    try {
      snapshot.takenAt = (await storeSharedResult(conn.db, kind.key, value, by)).toISOString();
      local.delete(kind.key);
    } catch (error) {
      local.set(kind.key, snapshot);
      console.error(`[snapshots] ${kind.what} could not be stored; kept in this process:`, describe(error));
    }
    return snapshot;
  })().finally(() => taking.delete(kind.key));
  taking.set(kind.key, started);
  return started;
}

/** The stored snapshot; with none, one computed now (and stored). */
export async function readSnapshot<K extends Kinds[keyof Kinds]>(
  conn: DbConnection,
  kind: K,
): Promise<PageSnapshot<ValueOf<K>>> {
  const stored = await readSharedResult<ValueOf<K>>(conn.db, kind.key);
  if (stored)
    return {
      value: stored.value,
      takenAt: stored.computedAt.toISOString(),
      takenBy: stored.computedBy,
      computedNow: false,
    };
  const local = state().local.get(kind.key) as PageSnapshot<ValueOf<K>> | undefined;
  if (local && Date.now() - Date.parse(local.takenAt) < kind.refreshMs) return { ...local, computedNow: false };
  return takeSnapshot(conn, kind as SnapshotKind<ValueOf<K>>, "first page load");
}

type RefreshAnswer = { ok: true; message: string } | { ok: false; error: string };

const refreshSchema = z.object({ intent: z.literal(REFRESH_INTENT, { error: "Unknown action." }) });

/**
 * "Refresh now": any staff member may ask, as any may run the checks, since it only reads the
 * catalogue and stores what it read. A POST only (a GET never recomputes), behind the console's
 * CSRF check like every other form.
 */
export async function refreshSnapshotsAction(request: Request, kinds: SnapshotKind<unknown>[]) {
  const staff = await requireStaff(request, "viewer");
  return refreshSnapshotsFromForm(await readForm(request), staff.email, kinds);
}

/** The refresh of a page whose action has other intents too: the form read, the staff member checked. */
export async function refreshSnapshotsFromForm(form: FormData, by: string, kinds: SnapshotKind<unknown>[]) {
  const parsed = parseForm(refreshSchema, form);
  if (!parsed.ok)
    return data<RefreshAnswer>({ ok: false, error: parsed.fieldErrors.intent ?? "Unknown action." }, { status: 400 });
  return refreshSnapshotsNow(kinds, by);
}

/** Retakes the snapshots at once, one after the other, for a person who asked. */
export async function refreshSnapshotsNow(kinds: SnapshotKind<unknown>[], by: string) {
  const conn = await getDb();
  try {
    let takenAt = "";
    for (const kind of kinds) takenAt = (await takeSnapshot(conn, kind, by)).takenAt;
    return data<RefreshAnswer>({ ok: true, message: `Refreshed at ${takenAt.slice(11, 19)} UTC.` });
  } catch (error) {
    return data<RefreshAnswer>(
      { ok: false, error: describeFailure(error, "The figures could not be refreshed just now.") },
      { status: 409 },
    );
  }
}

/** After a migration step, a check run or a measurement: this process retakes every snapshot on its next tick. */
export function markSnapshotsStale(): void {
  const s = state();
  s.stale = true;
  // What was kept here while the shared table was missing predates the change too.
  s.local.clear();
}

/**
 * Called by the server before it takes requests: every snapshot with none stored (a fresh
 * install) is taken now, side by side, so no first page waits seconds for one. Stored ones, however
 * old, are left to the background loop, so a restart does not wait. Never throws: a database
 * not yet migrated, or a step under way, leaves the pages to take them as before.
 */
export async function warmPageSnapshots(): Promise<string[]> {
  try {
    const conn = await getDb();
    if (await migrationInProgress(conn.db)) return [];
    const missing = [];
    for (const kind of ALL_KINDS) if (!(await readSharedResult(conn.db, kind.key))) missing.push(kind);
    const taken = await Promise.all(
      missing.map((kind) =>
        takeSnapshot(conn, kind, "start-up").then(
          () => kind.key,
          (error: unknown) => {
            console.error(`[snapshots] ${kind.what} could not be taken at start-up:`, describe(error));
            return null;
          },
        ),
      ),
    );
    return taken.filter((key) => key !== null);
  } catch (error) {
    console.error("[snapshots] none taken at start-up; the first pages take them:", describe(error));
    return [];
  }
}

const TICK_MS = 10_000;
/** The first look waits a little, so a starting server answers its first requests first. */
const FIRST_TICK_MS = 15_000;
let ticking = false;

/** One look: the leader retakes what is older than its interval (or everything, after a change seen here). */
export async function refreshDueSnapshots(conn: DbConnection, who: { leader: boolean; instanceId: string }) {
  const s = state();
  const changed = s.stale;
  if (!who.leader && !changed) return [];
  if (await migrationInProgress(conn.db)) return [];
  s.stale = false;
  const taken: string[] = [];
  for (const kind of ALL_KINDS) {
    const stored = await readSharedResult(conn.db, kind.key);
    if (!changed && stored && Date.now() - stored.computedAt.getTime() < kind.refreshMs) continue;
    try {
      await takeSnapshot(conn, kind, `background@${who.instanceId || "this instance"}`);
      taken.push(kind.key);
    } catch (error) {
      console.error(`[snapshots] ${kind.what} could not be refreshed; the last one stays:`, describe(error));
    }
  }
  return taken;
}

async function tick(): Promise<void> {
  if (ticking) return;
  ticking = true;
  try {
    const leadership = await getLeadership();
    await refreshDueSnapshots(await getDb(), { leader: leadership.isLeader(), instanceId: leadership.instanceId });
  } catch (error) {
    // The database is away or the store is rolled back: the next tick tries again.
    console.error("[snapshots] background refresh failed:", describe(error));
  } finally {
    ticking = false;
  }
}

/** Started once per process by the server at start-up (app/server/console-instance.ts); later calls do nothing. */
export function startPageSnapshots(): void {
  const s = state();
  if (s.looping) return;
  s.looping = true;
  runEvery(TICK_MS, tick, FIRST_TICK_MS);
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
