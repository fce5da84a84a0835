// Counts in sentences: "1 symbol moved", "2 symbols moved", "0 symbols moved".

const grouped = new Intl.NumberFormat("en-US");

/** The count (grouped: 1,250) and its noun in the right number; `many` for irregular plurals. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${grouped.format(count)} ${count === 1 ? one : many}`;
}
