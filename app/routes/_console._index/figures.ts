// How the home page reads each figure of v_symbol_data_quality: a label, what it means, and
// the value the seed's go/no-go criteria expect (none for figures that are information only).

export type FigureVerdict = "ok" | "attention" | "info";

interface FigureMeaning {
  label: string;
  description: string;
  expected?: { text: string; test: (value: number) => boolean };
}

const zero = { text: "expected 0", test: (v: number) => v === 0 };

export const FIGURES: Record<string, FigureMeaning> = {
  total_symbols: { label: "Symbols", description: "All rows in the catalogue" },
  active_symbols: {
    label: "Active symbols",
    description: "Available to users",
    expected: { text: "expected more than 9", test: (v) => v > 9 },
  },
  default_symbols: {
    label: "Default symbols",
    description: "Shown to anonymous users",
    expected: { text: "expected 9", test: (v) => v === 9 },
  },
  inactive_default_symbols: {
    label: "Inactive defaults",
    description: "Defaults that are switched off",
    expected: zero,
  },
  tracked_symbols: { label: "Tracked & active", description: "Eligible for broadcast" },
  symbols_without_provider: { label: "Without provider", description: "No data provider assigned", expected: zero },
  priority_out_of_range: {
    label: "Priority out of range",
    description: "Broadcast priority outside 0–100",
    expected: zero,
  },
  provider_market_mismatch: {
    label: "Provider ≠ market",
    description: "Provider serves another market",
    expected: zero,
  },
  orphaned_preferences: { label: "Orphaned preferences", description: "User or symbol missing", expected: zero },
  preferences_on_inactive_symbols: {
    label: "Prefs on inactive",
    description: "Preferences on inactive symbols",
    expected: zero,
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

export function describeFigure(metric: string, value: number): FigureView {
  const meaning = FIGURES[metric] ?? {
    label: metric.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase()),
    description: metric,
  };
  const verdict: FigureVerdict = meaning.expected ? (meaning.expected.test(value) ? "ok" : "attention") : "info";
  return {
    metric,
    value,
    label: meaning.label,
    description: meaning.description,
    expectation: meaning.expected?.text ?? null,
    verdict,
  };
}
