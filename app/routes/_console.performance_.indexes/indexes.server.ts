// The index health page's db/ imports, kept out of the browser bundle.
export { readIndexHealth } from "#db/index-health";
export { HIT_RATIO_TARGET } from "#db/rules/cache-hit-ratio";
