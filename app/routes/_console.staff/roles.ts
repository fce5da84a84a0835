import type { StaffRole } from "#db/schema";

// The roles in the order the page offers them (the browser bundle must not import the staff
// repository, which carries bcrypt and the password estimator).
export const ROLES = ["viewer", "operator", "admin"] as const satisfies readonly StaffRole[];
