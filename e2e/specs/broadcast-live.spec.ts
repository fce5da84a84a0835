import { WebSocket } from "ws";
import { screenshot } from "../support/fixtures.js";
import { expect, expectHydrated, signInAs, test } from "../support/console-fixtures.js";

// /broadcast while the broadcaster runs inside the server: clients connecting show up, the
// symbols sent tick over, and an admin pauses and resumes broadcasting (kept in the history).

function connect(baseURL: string): Promise<WebSocket> {
  const url = new URL("/ws/symbols", baseURL.replace(/^http/, "ws"));
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

test("admin watches /broadcast update live as clients connect, then pauses and resumes broadcasting", async ({
  page,
  createStaff,
  baseURL,
}) => {
  const admin = await createStaff("admin");
  await signInAs(page, admin, "/login?redirectTo=/broadcast");
  await expect(page.getByRole("heading", { name: "Broadcast", exact: true })).toBeVisible();
  const state = page.getByRole("status", { name: "Broadcaster state" });
  await expect(state).toHaveText(/Broadcasting|Paused/);
  if ((await state.textContent())?.includes("Paused")) {
    await page.getByRole("button", { name: "Resume broadcasting" }).click();
  }
  await expect(state).toHaveText("Broadcasting");

  const clients = await Promise.all([connect(baseURL!), connect(baseURL!)]);
  const received: string[] = [];
  clients[0]!.on("message", (data) => received.push(JSON.parse(String(data)).type as string));
  try {
    // Without a reload: the page re-reads the figures the broadcaster writes every cycle.
    await expect(page.getByRole("listitem", { name: "Connected clients" })).toContainText(/^Connected clients2/, {
      timeout: 15_000,
    });
    await expect(page.getByRole("table", { name: /Symbols sent in the last minute/ })).toContainText("BTCUSDT");
    await expect.poll(() => received.includes("ticks")).toBe(true);
    await screenshot(page, "broadcast-live");

    const pause = page.getByRole("button", { name: "Pause broadcasting" });
    await expectHydrated(pause);
    await page.getByLabel("Reason (kept in the history)").fill("e2e: maintenance window");
    await pause.click();
    await expect(state).toHaveText("Paused", { timeout: 15_000 });
    await expect(page.getByRole("list", { name: "Pause history" })).toContainText(`Paused by ${admin.displayName}`);
    await expect(page.getByRole("list", { name: "Pause history" })).toContainText("e2e: maintenance window");
  } finally {
    for (const client of clients) client.terminate();
    const resume = page.getByRole("button", { name: "Resume broadcasting" });
    if (await resume.isVisible()) await resume.click();
  }
  await expect(state).toHaveText("Broadcasting", { timeout: 15_000 });
});

test("a viewer sees the broadcaster but no pause switch", async ({ page, createStaff }) => {
  const viewer = await createStaff("viewer");
  await signInAs(page, viewer, "/login?redirectTo=/broadcast");
  await expect(page.getByRole("status", { name: "Broadcaster state" })).toBeVisible();
  await expect(page.getByText("Only admins can pause or resume broadcasting.")).toBeVisible();
  await expect(page.getByRole("button", { name: /Pause broadcasting|Resume broadcasting/ })).toHaveCount(0);
  const denied = await page.request.post("/broadcast", {
    form: { intent: "pause" },
  });
  expect(denied.status()).toBe(403);
});
