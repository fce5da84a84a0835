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
import { useFetcher } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useHydrated } from "~/components/use-hydrated";
import type { action } from "./route";
import { cx, focusRing } from "~/components/classes";
import { Button } from "~/components/button";
import { tickerAnnouncements } from "~/components/ticker-announcements";
import { UnsavedChangesGuard } from "~/components/unsaved-changes-guard";
import { plural } from "~/utils/plural";

// Support staff reorder (drag and drop, keyboard too), pin and hide a user's preferences, then
// save the whole list at once. The list is a form, so pin and hide also work without JavaScript.

export interface PreferenceItem {
  id: string;
  ticker: string;
  display: string;
  is_pinned: boolean;
  is_visible: boolean;
  is_active: boolean;
}

type Flag = "is_pinned" | "is_visible";

// What a save would change: the order and both ticks of every row.
const editedState = (items: PreferenceItem[]) =>
  items.map((i) => `${i.id}:${i.is_pinned ? 1 : 0}${i.is_visible ? 1 : 0}`).join(",");

function Row({
  item,
  index,
  canEdit,
  onToggle,
}: {
  item: PreferenceItem;
  index: number;
  canEdit: boolean;
  onToggle: (id: string, flag: Flag, value: boolean) => void;
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: item.id,
    disabled: !canEdit,
  });
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      className={
        `flex items-center gap-3 border-b border-slate-100 bg-white px-3 py-1.5 text-[13px] last:border-0 ` +
        `${isDragging ? "relative z-10 shadow-lg ring-2 ring-indigo-400" : ""}`
      }
    >
      <input type="hidden" name="items" value={item.id} />
      {canEdit ? (
        <button
          ref={setActivatorNodeRef}
          type="button"
          {...attributes}
          {...listeners}
          aria-label={`Reorder ${item.ticker}, position ${index + 1}`}
          className={cx("cursor-grab rounded px-1 text-slate-500 hover:text-slate-700", focusRing)}
        >
          <span aria-hidden="true">⠿</span>
        </button>
      ) : null}
      <span className="w-6 text-right text-xs text-slate-500 tabular-nums">{index + 1}</span>
      <span className="w-28 font-mono font-semibold">{item.ticker}</span>
      <span className="flex-1 truncate text-slate-600">
        {item.display}
        {item.is_active ? "" : " · deprecated"}
      </span>
      <label className="flex items-center gap-1 text-xs">
        <input
          type="checkbox"
          name={`pinned:${item.id}`}
          checked={item.is_pinned}
          onChange={(event) => onToggle(item.id, "is_pinned", event.currentTarget.checked)}
          disabled={!canEdit}
          className="accent-indigo-600"
        />{" "}
        Pinned
        <span className="sr-only"> {item.ticker}</span>
      </label>
      <label className="flex items-center gap-1 text-xs">
        <input
          type="checkbox"
          name={`visible:${item.id}`}
          checked={item.is_visible}
          onChange={(event) => onToggle(item.id, "is_visible", event.currentTarget.checked)}
          disabled={!canEdit}
          className="accent-indigo-600"
        />{" "}
        Visible
        <span className="sr-only"> {item.ticker}</span>
      </label>
    </li>
  );
}

export function PreferenceEditor({
  preferences,
  stamp,
  canEdit,
}: {
  preferences: PreferenceItem[];
  stamp: string;
  canEdit: boolean;
}) {
  const fetcher = useFetcher<typeof action>({ key: "preferences" });
  const hydrated = useHydrated();
  const [items, setItems] = useState(preferences);
  const response = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (fetcher.state === "idle") setItems(preferences);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- on a new list or answer, not per fetcher state
  }, [preferences, response]);
  const sensors = useSensors(
    useSensor(PointerSensor),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const onToggle = (id: string, flag: Flag, value: boolean) =>
    setItems((list) => list.map((i) => (i.id === id ? { ...i, [flag]: value } : i)));
  const unsaved = canEdit && editedState(items) !== editedState(preferences);
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    setItems((list) =>
      arrayMove(
        list,
        list.findIndex((i) => i.id === active.id),
        list.findIndex((i) => i.id === over.id),
      ),
    );
  };
  if (items.length === 0)
    return (
      <p
        className={cx(
          "rounded-lg border border-dashed border-slate-300 bg-white p-6",
          "text-center text-[13px] text-slate-500",
        )}
      >
        This user has no preferences: their dashboard shows the defaults.
      </p>
    );
  return (
    <fetcher.Form method="post">
      <UnsavedChangesGuard unsaved={unsaved} what="Changes to this user's preferences" />
      <input type="hidden" name="stamp" value={stamp} />
      {hydrated ? null : <input type="hidden" name="nojs" value="1" />}
      <DndContext
        id="preferences-dnd"
        sensors={sensors}
        collisionDetection={closestCenter}
        onDragEnd={onDragEnd}
        accessibility={{ announcements: tickerAnnouncements(items, "Save preferences to keep the new order.") }}
      >
        <SortableContext items={items.map((i) => i.id)} strategy={verticalListSortingStrategy}>
          <ol
            key={stamp}
            aria-label="Preferences in saved order"
            className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-xs"
          >
            {items.map((item, index) => (
              <Row key={item.id} item={item} index={index} canEdit={canEdit} onToggle={onToggle} />
            ))}
          </ol>
        </SortableContext>
      </DndContext>
      {canEdit ? (
        <div className="mt-3 flex items-center gap-3">
          <Button type="submit" size="sm" pending={fetcher.state !== "idle"} pendingText="Saving…">
            Save preferences
          </Button>
          <p aria-live="polite" className="text-[13px]">
            {unsaved && fetcher.state === "idle" ? <span className="text-amber-800">Unsaved changes.</span> : null}
            {response?.kind === "saved" ? (
              <span className="text-emerald-800">
                Saved: {plural(response.changed, "preference")} changed (audited).
              </span>
            ) : null}
            {response && response.kind !== "saved" ? (
              <span role="alert" className="text-red-700">
                {response.message}
              </span>
            ) : null}
          </p>
        </div>
      ) : null}
    </fetcher.Form>
  );
}
