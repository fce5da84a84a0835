// The index health page's db/ imports, kept out of the browser bundle.
export { HIT_RATIO_TARGET, readIndexHealth } from "#db/index-health";
