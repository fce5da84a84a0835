import type { DataQualityFigure } from "#db/queries/data-quality-figures";

// How the home page shows each figure of v_symbol_data_quality: a label and what it means. The
// value the seed's go/no-go criteria expect comes with the figure (db/rules/expected-figures.ts).

export type FigureVerdict = "ok" | "attention" | "info";

interface FigureMeaning {
  label: string;
  description: string;
}

export const FIGURES: Record<string, FigureMeaning> = {
  total_symbols: { label: "Symbols", description: "All rows in the catalogue" },
  active_symbols: {
    label: "Active symbols",
    description: "Available to users",
  },
  default_symbols: {
    label: "Default symbols",
    description: "Shown to anonymous users",
  },
  inactive_default_symbols: {
    label: "Inactive defaults",
    description: "Defaults that are switched off",
  },
  tracked_symbols: { label: "Tracked & active", description: "Eligible for broadcast" },
  symbols_without_provider: { label: "Without provider", description: "No data provider assigned" },
  priority_out_of_range: {
    label: "Priority out of range",
    description: "Broadcast priority outside 0–100",
  },
  provider_market_mismatch: {
    label: "Provider ≠ market",
    description: "Provider serves another market",
  },
  orphaned_preferences: { label: "Orphaned preferences", description: "User or symbol missing" },
  preferences_on_inactive_symbols: {
    label: "Prefs on inactive",
    description: "Preferences on inactive symbols",
  },
};

export interface FigureView {
  metric: string;
  value: number;
  label: string;
  description: string;
  expectation: string | null;
  verdict: FigureVerdict;
}

export function describeFigure({ metric, value, expectation, meetsExpectation }: DataQualityFigure): FigureView {
  const meaning = FIGURES[metric] ?? {
    label: metric.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase()),
    description: metric,
  };
  const verdict: FigureVerdict = meetsExpectation === null ? "info" : meetsExpectation ? "ok" : "attention";
  return { metric, value, label: meaning.label, description: meaning.description, expectation, verdict };
}
