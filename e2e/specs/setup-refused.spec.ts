import { findStaffByEmail } from "../../db/repositories/staff.js";
import { expect, test } from "../support/fixtures.js";

test("setup is refused once an admin exists", async ({ page, createStaff, db }) => {
  await createStaff("admin");
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/login$/);

  // Posting the form anyway (no browser checks in the way) is refused and creates nobody.
  const response = await page.request.post("/setup", {
    form: {
      displayName: "Intruder",
      email: "intruder@example.com",
      password: "intruder-password",
      confirmPassword: "intruder-password",
    },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(403);
  expect(await response.text()).toContain("Setup is already complete");
  expect(await findStaffByEmail(db.db, "intruder@example.com")).toBeNull();
});
