// The reference data of the 20250108 default-data population, as data.

export const ASSET_CLASSES = [
  { code: "CRYPTO", name: "Cryptocurrency" },
  { code: "STOCK", name: "Stock" },
] as const;

export const MARKETS = [
  {
    code: "BINANCE",
    name: "Binance",
    assetClass: "CRYPTO",
    websocketUrl: "wss://stream.binance.com:9443/ws",
    timezone: "UTC",
  },
  {
    code: "BIST",
    name: "Borsa Istanbul",
    assetClass: "STOCK",
    websocketUrl: "wss://feed.borsaistanbul.example/ws",
    timezone: "Europe/Istanbul",
  },
  { code: "NASDAQ", name: "NASDAQ", assetClass: "STOCK", websocketUrl: null, timezone: "America/New_York" },
] as const;

export const DATA_PROVIDERS = [
  {
    code: "BINANCE_WS",
    name: "Binance WebSocket",
    market: "BINANCE",
    type: "websocket",
    primary: true,
    status: "connected",
  },
  { code: "BINANCE_REST", name: "Binance REST", market: "BINANCE", type: "rest", primary: false, status: "connected" },
  { code: "BIST_FEED", name: "BIST data feed", market: "BIST", type: "websocket", primary: true, status: "degraded" },
  { code: "YAHOO_FINANCE", name: "Yahoo Finance", market: "NASDAQ", type: "rest", primary: true, status: "connected" },
] as const;

/** The nine defaults anonymous users see, in this order. */
export const DEFAULT_TICKERS = [
  "BTCUSDT",
  "ETHUSDT",
  "XRPUSDT",
  "SOLUSDT",
  "AVAXUSDT",
  "SUIUSDT",
  "ENAUSDT",
  "UNIUSDT",
  "BNBUSDT",
] as const;

/** Retired from the platform: kept for history, inactive and never default. */
export const DEPRECATED_TICKERS = ["ADAUSDT", "MATICUSDT", "DOTUSDT", "LINKUSDT", "LTCUSDT"] as const;

export const CRYPTO_NAMES: Record<string, string> = {
  BTCUSDT: "Bitcoin",
  ETHUSDT: "Ethereum",
  XRPUSDT: "XRP",
  SOLUSDT: "Solana",
  AVAXUSDT: "Avalanche",
  SUIUSDT: "Sui",
  ENAUSDT: "Ethena",
  UNIUSDT: "Uniswap",
  BNBUSDT: "BNB",
  ADAUSDT: "Cardano",
  MATICUSDT: "Polygon",
  DOTUSDT: "Polkadot",
  LINKUSDT: "Chainlink",
  LTCUSDT: "Litecoin",
  DOGEUSDT: "Dogecoin",
  TRXUSDT: "TRON",
  TONUSDT: "Toncoin",
  ATOMUSDT: "Cosmos",
  NEARUSDT: "NEAR Protocol",
  APTUSDT: "Aptos",
  ARBUSDT: "Arbitrum",
  OPUSDT: "Optimism",
};

/** Active, non-default symbols that keep "active symbols > 9" true on a fresh install. */
export const EXTRA_ACTIVE = [
  { market: "BINANCE", ticker: "DOGEUSDT" },
  { market: "BINANCE", ticker: "TRXUSDT" },
  { market: "BINANCE", ticker: "TONUSDT" },
  { market: "BINANCE", ticker: "ATOMUSDT" },
  { market: "BINANCE", ticker: "NEARUSDT" },
  { market: "BINANCE", ticker: "APTUSDT" },
  { market: "BINANCE", ticker: "ARBUSDT" },
  { market: "BINANCE", ticker: "OPUSDT" },
  { market: "BIST", ticker: "THYAO", name: "Türk Hava Yolları" },
  { market: "BIST", ticker: "GARAN", name: "Garanti BBVA" },
  { market: "BIST", ticker: "ASELS", name: "Aselsan" },
  { market: "BIST", ticker: "BIMAS", name: "BİM Mağazalar" },
  { market: "NASDAQ", ticker: "AAPL", name: "Apple Inc." },
  { market: "NASDAQ", ticker: "MSFT", name: "Microsoft" },
  { market: "NASDAQ", ticker: "NVDA", name: "NVIDIA" },
  { market: "NASDAQ", ticker: "AMZN", name: "Amazon.com" },
] as const;
