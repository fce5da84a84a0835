import type { Kysely } from "kysely";
import { issueApiToken } from "../../db/repositories/api-tokens.js";
import { createStaffUser } from "../../db/repositories/staff.js";
import type { Database } from "../../db/schema.js";
import type { StaffRole } from "../../db/repositories/staff.js";

// Credentials for the load: API tokens for many users (so a per-token rate limit sees ordinary
// traffic) and a signed-in staff session obtained through the sign-in form.

export async function issueTokens(db: Kysely<Database>, count: number): Promise<{ userId: string; token: string }[]> {
  const users = await db
    .selectFrom("user_dashboard_preferences")
    .select("user_id")
    .distinct()
    .orderBy("user_id")
    .limit(count)
    .execute();
  const tokens: { userId: string; token: string }[] = [];
  for (const { user_id } of users) {
    const { token } = await issueApiToken(db, user_id, "benchmark");
    tokens.push({ userId: user_id, token });
  }
  return tokens;
}

export async function staffCookie(db: Kysely<Database>, baseUrl: string, role: StaffRole = "viewer"): Promise<string> {
  const email = `bench-${role}-${Date.now()}@bench.symbol-desk.test`;
  const password = "bench-password-long-enough";
  await createStaffUser(db, { email, displayName: "Benchmark", role, password });
  const response = await fetch(`${baseUrl}/login`, {
    method: "POST",
    body: new URLSearchParams({ email, password }),
    redirect: "manual",
  });
  const cookie = response.headers.get("set-cookie");
  if (!cookie) throw new Error(`sign-in for the benchmark failed with ${response.status}`);
  return cookie.split(";")[0]!;
}
