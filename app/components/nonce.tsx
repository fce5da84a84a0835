import { createContext, useContext } from "react";

// The Content-Security-Policy nonce of the page being rendered (app/server/security-headers.ts):
// provided by entry.server around the whole app, read by root for Remix's inline scripts. In the
// browser it is empty: scripts added after hydration are modules from 'self'.

const NonceContext = createContext("");

export const NonceProvider = NonceContext.Provider;
export const useNonce = (): string => useContext(NonceContext);
