import {
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import {
  arrayMove,
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { Form, useFetcher } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useHydrated } from "~/components/use-hydrated";
import type { action } from "./route";
import { cx, focusRing } from "~/components/classes";
import { Button } from "~/components/button";
import { tickerAnnouncements } from "~/components/ticker-announcements";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { putBackPlace, removalConsequence } from "~/utils/default-consequences";

// The defaults in display order, reordered by drag and drop (pointer or keyboard: focus a handle,
// Space to lift, arrows to move, Space to drop, Escape to cancel). Each drop saves the whole order
// in one transaction; the list moves at once and moves back if the save is refused. Without
// JavaScript, Move up / Move down buttons post the same order.

export interface DefaultItem {
  id: string;
  ticker: string;
  display: string;
  version: number;
  broadcast_priority: number;
}

const orderValue = (items: DefaultItem[]) => items.map((i) => `${i.id}:${i.version}`);

function Row({
  item,
  index,
  items,
  canEdit,
  hydrated,
}: {
  item: DefaultItem;
  index: number;
  items: DefaultItem[];
  canEdit: boolean;
  hydrated: boolean;
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: item.id,
    disabled: !canEdit,
  });
  const remove = useFetcher<typeof action>({ key: `remove-${item.id}` });
  const [confirming, setConfirming] = useState(false);
  // Taking a default off confirms first when it moves the count off the rule's number. The
  // server asks too when this page's count was out of date; its words win.
  const asked = remove.state === "idle" && remove.data?.kind === "confirm" ? remove.data.message : null;
  useEffect(() => {
    if (asked) setConfirming(true);
  }, [asked]);
  const consequence = asked ?? removalConsequence(items.length);
  const moved = (to: number) => orderValue(arrayMove(items, index, to));
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      className={
        `flex items-center gap-3 border-b border-slate-100 bg-white px-3 py-2 last:border-0 ` +
        `${isDragging ? "relative z-10 shadow-lg ring-2 ring-indigo-400" : ""}`
      }
    >
      {canEdit ? (
        <button
          ref={setActivatorNodeRef}
          type="button"
          {...attributes}
          {...listeners}
          aria-label={`Reorder ${item.ticker}, position ${index + 1} of ${items.length}`}
          className={cx(
            "cursor-grab rounded px-1 text-slate-500 hover:text-slate-700 active:cursor-grabbing",
            focusRing,
          )}
        >
          <span aria-hidden="true">⠿</span>
        </button>
      ) : null}
      <span className="w-6 text-right text-xs text-slate-500 tabular-nums">{index + 1}</span>
      <span className="w-28 font-mono text-[13px] font-semibold text-slate-900">{item.ticker}</span>
      <span className="flex-1 truncate text-[13px] text-slate-600">{item.display}</span>
      <span className="text-xs text-slate-500">
        priority <span className="tabular-nums">{item.broadcast_priority}</span>
      </span>
      {canEdit ? (
        <div className="flex items-center gap-1">
          {!hydrated ? (
            <>
              {index > 0 ? <MoveForm label={`Move ${item.ticker} up`} text="Up" order={moved(index - 1)} /> : null}
              {index < items.length - 1 ? (
                <MoveForm label={`Move ${item.ticker} down`} text="Down" order={moved(index + 1)} />
              ) : null}
            </>
          ) : null}
          <remove.Form method="post">
            <input type="hidden" name="intent" value="remove" />
            <input type="hidden" name="symbolId" value={item.id} />
            <input type="hidden" name="version" value={item.version} />
            {hydrated ? null : <input type="hidden" name="nojs" value="1" />}
            <Button
              type="submit"
              variant="dangerSubtle"
              size="xs"
              pending={remove.state !== "idle"}
              pendingText="Removing…"
              srText={`${item.ticker} from the defaults`}
              onClick={(event) => {
                if (!consequence || !hydrated) return;
                event.preventDefault();
                setConfirming(true);
              }}
            >
              Remove
            </Button>
          </remove.Form>
          <ConfirmDialog
            open={confirming}
            title={`Remove ${item.ticker} from the defaults?`}
            confirmLabel={`Remove ${item.ticker}`}
            tone="danger"
            onCancel={() => setConfirming(false)}
            onConfirm={() => {
              setConfirming(false);
              remove.submit(
                { intent: "remove", symbolId: item.id, version: String(item.version), confirm: "yes" },
                { method: "post", action: "/symbols/defaults" },
              );
            }}
          >
            <p>Anonymous users stop seeing {item.ticker} among their defaults.</p>
            <p className="font-medium text-slate-900">{consequence}</p>
            <p>{putBackPlace(index + 1)}</p>
          </ConfirmDialog>
        </div>
      ) : null}
    </li>
  );
}

function MoveForm({ label, text, order }: { label: string; text: string; order: string[] }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="reorder" />
      <input type="hidden" name="nojs" value="1" />
      {order.map((v) => (
        <input key={v} type="hidden" name="order" value={v} />
      ))}
      <Button type="submit" variant="secondary" size="xs" aria-label={label}>
        {text}
      </Button>
    </Form>
  );
}

export function SortableDefaults({ defaults, canEdit }: { defaults: DefaultItem[]; canEdit: boolean }) {
  const hydrated = useHydrated();
  const fetcher = useFetcher<typeof action>({ key: "defaults-order" });
  const [items, setItems] = useState(defaults);
  const response = fetcher.state === "idle" ? fetcher.data : undefined;
  // The server's order wins whenever it changes (after a save, or a refused one: the rollback).
  useEffect(() => {
    if (fetcher.state === "idle") setItems(defaults);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- on a new list or answer, not per fetcher state
  }, [defaults, response]);
  const sensors = useSensors(
    useSensor(PointerSensor),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const positionOf = (id: string | number) => items.findIndex((i) => i.id === id) + 1;
  const announcements = tickerAnnouncements(items, "Saving the order.");
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const next = arrayMove(items, positionOf(active.id) - 1, positionOf(over.id) - 1);
    setItems(next);
    const form = new FormData();
    form.set("intent", "reorder");
    for (const v of orderValue(next)) form.append("order", v);
    fetcher.submit(form, { method: "post" });
  };
  const error = response && response.kind !== "saved" ? response.message : null;
  return (
    <div>
      <div aria-live="polite" className="mb-2 min-h-5 text-[13px]">
        {fetcher.state !== "idle" ? <span className="text-slate-500">Saving the order…</span> : null}
        {error ? (
          <span role="alert" className="font-medium text-red-700">
            {error}
          </span>
        ) : null}
      </div>
      {items.length === 0 ? (
        <p
          className={cx(
            "rounded-lg border border-dashed border-slate-300 bg-white p-8",
            "text-center text-[13px] text-slate-500",
          )}
        >
          No defaults: anonymous users see an empty dashboard. Add one below.
        </p>
      ) : (
        <DndContext
          id="defaults-dnd"
          sensors={sensors}
          collisionDetection={closestCenter}
          onDragEnd={onDragEnd}
          accessibility={{ announcements }}
        >
          <SortableContext items={items.map((i) => i.id)} strategy={verticalListSortingStrategy}>
            <ol
              aria-label="Default symbols in display order"
              className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-xs"
            >
              {items.map((item, index) => (
                <Row key={item.id} item={item} index={index} items={items} canEdit={canEdit} hydrated={hydrated} />
              ))}
            </ol>
          </SortableContext>
        </DndContext>
      )}
    </div>
  );
}
