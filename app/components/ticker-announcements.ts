import type { Announcements, UniqueIdentifier } from "@dnd-kit/core";

// What a screen reader hears while a sortable list of symbols is reordered by keyboard: the
// ticker and its position, never dnd-kit's default of the row's id (a UUID).

interface Tickered {
  id: string;
  ticker: string;
}

export function tickerAnnouncements(items: Tickered[], afterDrop: string): Announcements {
  const tickerOf = (id: UniqueIdentifier) => items.find((i) => i.id === id)?.ticker ?? "symbol";
  const positionOf = (id: UniqueIdentifier) => items.findIndex((i) => i.id === id) + 1;
  const of = `of ${items.length}`;
  return {
    onDragStart: ({ active }) =>
      `Picked up ${tickerOf(active.id)}, position ${positionOf(active.id)} ${of}. Use the arrow keys to move, ` +
      `Space to drop, Escape to cancel.`,
    onDragOver: ({ active, over }) =>
      over
        ? `${tickerOf(active.id)} is over position ${positionOf(over.id)} ${of}.`
        : `${tickerOf(active.id)} is not over a position.`,
    onDragEnd: ({ active, over }) =>
      over
        ? `${tickerOf(active.id)} dropped at position ${positionOf(over.id)} ${of}. ${afterDrop}`
        : `${tickerOf(active.id)} dropped.`,
    onDragCancel: ({ active }) =>
      `Moving ${tickerOf(active.id)} was cancelled; it stays at position ${positionOf(active.id)}.`,
  };
}
