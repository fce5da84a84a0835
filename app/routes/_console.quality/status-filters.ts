/** The status filter of the quality panel: "problems" is every check that did not pass. */
export const STATUS_FILTERS = ["all", "problems", "pass", "warn", "fail", "error"] as const;
