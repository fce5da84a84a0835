// The plan page's db/ imports, kept out of the browser bundle.
export { comparePlans } from "#db/performance/compare";
export { criticalQuery } from "#db/performance/critical-queries";
export { measurementHistory, measurementWithPlan } from "#db/performance/history";
