import { type ChildProcess, spawn } from "node:child_process";
import { expect, test } from "@playwright/test";
import { openDatabase } from "../../db/client.js";
import { listInstances } from "../../db/broadcast/control.js";
import { SESSION_COOKIE } from "../../app/utils/session.server.js";
import { withStaffFactory } from "../support/fixtures.js";
import { ROOT_DIR } from "../support/run-env.js";
import { serveArgs } from "../support/serve-command.js";
import { databaseUrl, dropServerDatabase, resetServerDatabase } from "../support/server-database.js";

// A broadcaster that stops cycling raises the rollback-trigger banner on a page that stays open,
// and the banner goes once it cycles again. The broadcaster runs alone (`npm run broadcaster`)
// beside a console of its own on a database of its own, so that freezing its process (SIGSTOP:
// alive, connections open, no cycle, as a process stuck in a blocking call) stalls the only
// broadcaster there is and no other spec's broadcaster or page is touched. Pausing is not a
// stall: a paused broadcaster keeps reporting.

const CONSOLE_PORT = Number(process.env.E2E_PORT_BASE ?? 3110) + 11;
const BROADCASTER_PORT = CONSOLE_PORT + 1;
// Ten intervals without a cycle is a stall: at 200 ms the banner's trigger fires after 2 s.
const INTERVAL_MS = 200;
const DATABASE = `${process.env.E2E_PG_DATABASE}_stall`;
const BASE_URL = `http://localhost:${CONSOLE_PORT}`;

test.describe.configure({ mode: "serial" });
// A console and a broadcaster of its own start with this test; the banner's full evaluation is
// cached for up to 10 s and served stale once, so each change can take about 20 s to show.
test.setTimeout(240_000);
test.use({ baseURL: BASE_URL, extraHTTPHeaders: { Origin: BASE_URL } });

const processes: ChildProcess[] = [];

function start(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: ROOT_DIR,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl(DATABASE),
      SESSION_SECRET: process.env.E2E_SESSION_SECRET!,
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  processes.push(child);
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGCONT");
  child.kill("SIGTERM");
  await exited;
}

test.beforeAll(async () => {
  await resetServerDatabase(DATABASE);
});

test.afterAll(async () => {
  await Promise.all(processes.map(stop));
  await dropServerDatabase(DATABASE);
});

test("a frozen broadcaster raises the stalled banner on an open page, and it goes when cycles resume", async ({
  page,
}) => {
  const conn = await openDatabase({ databaseUrl: databaseUrl(DATABASE), poolSize: 2 });
  try {
    start(serveArgs(), { PORT: String(CONSOLE_PORT), BROADCASTER_IN_PROCESS: "false" });
    const broadcaster = start(["--import", "tsx", "app/server/broadcaster-main.ts"], {
      BROADCASTER_PORT: String(BROADCASTER_PORT),
      BROADCAST_INTERVAL_MS: String(INTERVAL_MS),
    });
    await expect
      .poll(async () => (await fetch(`${BASE_URL}/login`).catch(() => null))?.status ?? 0, { timeout: 120_000 })
      .toBe(200);
    // Cycling: its row in broadcaster_instances moves on.
    const lastCycle = async () => (await listInstances(conn.db))[0]?.last_cycle_at?.getTime() ?? 0;
    await expect.poll(lastCycle, { timeout: 60_000 }).toBeGreaterThan(0);

    await withStaffFactory(conn, "stall", async (createStaff) => {
      const operator = await createStaff("operator");
      await page.context().addCookies([
        {
          name: SESSION_COOKIE,
          value: await operator.sessionCookie(),
          url: BASE_URL,
          httpOnly: true,
          sameSite: "Lax",
        },
      ]);
      await page.goto("/broadcast");
      await expect(page.getByRole("banner").getByText(operator.displayName, { exact: true })).toBeVisible();
      const state = page.getByRole("status", { name: "Broadcaster state" });
      await expect(state).toHaveText("Broadcasting", { timeout: 30_000 });
      const stalled = page.getByRole("region", { name: "Rollback triggers" }).getByText("The broadcaster has stalled");
      await expect(stalled).toHaveCount(0);
      const navigations: string[] = [];
      page.on("framenavigated", (frame) => {
        if (frame === page.mainFrame()) navigations.push(frame.url());
      });

      broadcaster.kill("SIGSTOP");
      await expect(stalled).toBeVisible({ timeout: 60_000 });
      await expect(state).toHaveText(/^Stalled · no cycle for \d+ s$/, { timeout: 30_000 });
      // Read once the banner shows, not at the freeze: a cycle whose write was already sent when the
      // process stopped still commits after it. The row has not moved for the ten intervals that
      // make a stall: it was the frozen broadcaster, nothing else.
      const frozenAt = await lastCycle();
      expect(Date.now() - frozenAt).toBeGreaterThanOrEqual(10 * INTERVAL_MS);

      broadcaster.kill("SIGCONT");
      await expect.poll(lastCycle, { timeout: 30_000 }).toBeGreaterThan(frozenAt);
      await expect(stalled).toBeHidden({ timeout: 60_000 });
      await expect(state).toHaveText("Broadcasting", { timeout: 30_000 });
      expect(navigations).toEqual([]);
    });
  } finally {
    await conn.close();
  }
});
