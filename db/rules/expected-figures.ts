import { ACTIVE_SYMBOLS_MORE_THAN, DEFAULT_SYMBOL_COUNT } from "./defaults.js";

// The value the seed's go/no-go criteria expect of each v_symbol_data_quality figure. Figures
// that are information only (the totals) have no entry. The home page and the quality panel
// both show these verdicts.

export interface FigureExpectation {
  /** "expected 0", as the pages print it. */
  text: string;
  test: (value: number) => boolean;
}

const zero: FigureExpectation = { text: "expected 0", test: (value) => value === 0 };

export const EXPECTED_FIGURES: Readonly<Record<string, FigureExpectation>> = {
  active_symbols: {
    text: `expected more than ${ACTIVE_SYMBOLS_MORE_THAN}`,
    test: (value) => value > ACTIVE_SYMBOLS_MORE_THAN,
  },
  default_symbols: { text: `expected ${DEFAULT_SYMBOL_COUNT}`, test: (value) => value === DEFAULT_SYMBOL_COUNT },
  inactive_default_symbols: zero,
  symbols_without_provider: zero,
  priority_out_of_range: zero,
  provider_market_mismatch: zero,
  orphaned_preferences: zero,
  preferences_on_inactive_symbols: zero,
};

export interface FigureVerdict {
  /** What the criteria expect, or null for a figure that is information only. */
  expectation: string | null;
  /** Whether the value meets it; null for a figure that is information only. */
  meetsExpectation: boolean | null;
}

export function judgeFigure(metric: string, value: number): FigureVerdict {
  const expected = EXPECTED_FIGURES[metric];
  return expected
    ? { expectation: expected.text, meetsExpectation: expected.test(value) }
    : { expectation: null, meetsExpectation: null };
}
