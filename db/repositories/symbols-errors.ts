import type { EditableField, SymbolState } from "./symbols-fields.js";

// What can go wrong with a symbol edit, as types the web layer maps to 404, 400 and 409.

export class SymbolNotFoundError extends Error {
  constructor(readonly symbolId: string) {
    super(`No symbol with id ${symbolId}.`);
    this.name = "SymbolNotFoundError";
  }
}

/** A business rule refused the change; `field` says which input the message belongs beside. */
export class SymbolRuleError extends Error {
  constructor(
    readonly field: EditableField | "form",
    message: string,
  ) {
    super(message);
    this.name = "SymbolRuleError";
  }
}

export interface LastChange {
  by: string | null;
  at: Date;
  field: string;
}

/** Someone changed the symbol since the editor loaded it: the edit was not applied. */
export class SymbolVersionConflictError extends Error {
  constructor(
    readonly current: SymbolState,
    readonly lastChange: LastChange | null,
  ) {
    super(
      `${current.ticker} was changed by ${lastChange?.by ?? "someone else"} since you loaded it; nothing was saved.`,
    );
    this.name = "SymbolVersionConflictError";
  }
}
