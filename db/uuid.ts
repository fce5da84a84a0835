// Ids come from URLs, the CLI and forms: a malformed one is simply "no such row", checked before
// it reaches PostgreSQL, where it would be a cast error.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);
