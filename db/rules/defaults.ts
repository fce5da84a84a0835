import { DEFAULT_TICKERS } from "../seed/catalogue.js";

// The seed's rule for what anonymous users see: exactly nine default symbols (its list of
// tickers), and more active symbols than that, so a user can add symbols beyond the defaults.
// The editor warns on another count, the checks fail, and the readiness board and its rollback
// trigger ("default symbols count != 9") read the same numbers from here.

/** The seed's nine defaults. */
export const DEFAULT_SYMBOL_COUNT = DEFAULT_TICKERS.length;

/** The seed's success criterion "active symbols > 9": more than the defaults alone. */
export const ACTIVE_SYMBOLS_MORE_THAN = DEFAULT_SYMBOL_COUNT;
