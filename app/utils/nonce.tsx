import { createContext, useContext } from 'react';

const NonceContext = createContext('');

export const NonceProvider = NonceContext.Provider;

/** The CSP nonce on the server; browsers hide it from scripts, so it is '' in the client. */
export function useNonce(): string {
  return useContext(NonceContext);
}
