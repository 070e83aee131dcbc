import { createContext, useContext } from "react";

/** The per-response CSP nonce; set on the server, empty in the browser (where it is not needed). */
const NonceContext = createContext<string>("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
