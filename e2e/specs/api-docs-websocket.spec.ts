import { expect, signInAs, test } from "../support/console-fixtures.js";
import { screenshot } from "../support/fixtures.js";

// /api-docs renders /ws/symbols from the AsyncAPI 3 document the server serves at
// /api/asyncapi.json: every message of the document, both ways, with its fields.

interface AsyncApiDocument {
  asyncapi: string;
  channels: { symbols: { address: string; messages: Record<string, { payload: { properties: object } }> } };
}

test("staff read the WebSocket protocol on /api-docs, as the AsyncAPI document describes it", async ({
  page,
  createStaff,
}) => {
  const served = await page.request.get("/api/asyncapi.json");
  expect(served.status()).toBe(200);
  expect(served.headers()["content-type"]).toMatch(/^application\/json/);
  const doc = (await served.json()) as AsyncApiDocument;
  expect(doc.asyncapi).toBe("3.0.0");
  expect(doc.channels.symbols.address).toBe("/ws/symbols");

  const viewer = await createStaff("viewer");
  await signInAs(page, viewer, "/login?redirectTo=/api-docs");
  await expect(page).toHaveURL(/\/api-docs$/);
  const section = page.getByRole("region", { name: "WebSocket: live prices" });
  await expect(section.getByRole("link", { name: "AsyncAPI 3 document" })).toHaveAttribute(
    "href",
    "/api/asyncapi.json",
  );
  const messages = doc.channels.symbols.messages;
  for (const name of ["snapshot", "ticks", "heartbeat", "error"]) {
    await expect(section.getByRole("heading", { name: `server → client ${name}` })).toBeVisible();
  }
  for (const name of ["auth", "subscribe", "unsubscribe", "ping"]) {
    await expect(section.getByRole("heading", { name: `client → server ${name}` })).toBeVisible();
  }
  expect(Object.keys(messages)).toHaveLength(8);
  for (const [name, message] of Object.entries(messages)) {
    const fields = section.getByRole("table", { name: `Fields of the ${name} message` });
    for (const field of Object.keys(message.payload.properties)) {
      await expect(fields.getByRole("cell", { name: new RegExp(`^${field}( optional)?$`) }).first()).toBeVisible();
    }
  }
  await section.scrollIntoViewIfNeeded();
  await screenshot(page, "api-docs-websocket");
});
