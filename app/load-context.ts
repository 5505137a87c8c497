declare module '@remix-run/node' {
  interface AppLoadContext {
    /** Per-request nonce that the Content-Security-Policy allows scripts to carry. */
    cspNonce: string;
    /** The client's address, for per-address limits. */
    clientAddress: string;
  }
}

export {};
