import { screenshot } from "../support/fixtures.js";
import { expect, signInAs, test } from "../support/console-fixtures.js";

test("viewer sees what is broadcast next, with the market's websocket URL and the provider's status", async ({
  page,
  createStaff,
  catalogue,
}) => {
  const viewer = await createStaff("viewer");
  const top = await catalogue.symbol({ priority: 100 });
  await signInAs(page, viewer, "/login?redirectTo=/broadcast");
  await expect(page.getByRole("heading", { name: "Broadcast queue" })).toBeVisible();
  // The queue's own table: the page also lists the symbols sent in the last minute.
  const queue = page.getByRole("table", { name: "Broadcast queue in broadcast order" });
  const rows = queue.getByRole("row");
  await expect(rows).toHaveCount(await rows.count());
  expect(await rows.count()).toBeGreaterThan(10);
  const mine = queue.getByRole("row", { name: new RegExp(top.ticker) });
  await expect(mine).toContainText("wss://stream.binance.com:9443/ws");
  await expect(mine).toContainText("BINANCE_WS");
  await expect(mine).toContainText("connected");
  await expect(queue.getByRole("row", { name: /THYAO/ })).toContainText("degraded");
  await screenshot(page, "broadcast");
});
