// The console's plurals come from the core's one helper (db/ words its own messages too).
export { plural } from "#db/plural";
