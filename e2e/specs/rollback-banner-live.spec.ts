import { removeDefault } from "../../db/repositories/defaults.js";
import { getSymbolState } from "../../db/repositories/symbols-edit.js";
import { expect, signInAs, test } from "../support/console-fixtures.js";

// The red banner follows a change on a page that stays open: a tenth default raises it and taking
// it away clears it, each within 2 s, with no reload or navigation. In the defaults' turn: a tenth
// default held by another spec would make this one the eleventh.
test.use({ takesDefaultsTurn: true });

test("the rollback banner on an open page appears and goes within 2 s of the default count changing", async ({
  page,
  createStaff,
  catalogue,
  db,
}) => {
  const operator = await createStaff("operator");
  await signInAs(page, operator, "/login?redirectTo=/broadcast");
  // Other triggers (a slow query on a busy machine) may fire meanwhile: only this one is watched.
  const countTrigger = page
    .getByRole("region", { name: "Rollback triggers" })
    .getByText("10 default symbols instead of 9");
  await expect(countTrigger).toHaveCount(0);
  const navigations: string[] = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) navigations.push(frame.url());
  });

  const tenth = await catalogue.symbol({ isDefault: true, displayOrder: 95 });
  await expect(countTrigger).toBeVisible({ timeout: 2_000 });

  const state = (await getSymbolState(db.db, tenth.id))!;
  await removeDefault(db.db, { staffId: operator.id, symbolId: tenth.id, version: state.version });
  await expect(countTrigger).toBeHidden({ timeout: 2_000 });
  expect(navigations).toEqual([]);
});
