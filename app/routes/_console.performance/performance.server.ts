// The performance panel's db/ imports, kept out of the browser bundle.
export { CRITICAL_QUERIES } from "#db/performance/critical-queries";
export { measurementHistory, storeMeasurement } from "#db/performance/history";
export { DEFAULT_RUNS, MAX_RUNS, measureQuery } from "#db/performance/measure";
