declare module '@remix-run/node' {
  interface AppLoadContext {
    /** Per-request nonce that the Content-Security-Policy allows scripts to carry. */
    cspNonce: string;
    /** The client's address, for per-address limits. */
    clientAddress: string;
    /**
     * For a request answered with an HTML document: HTML the page renders, which its loader
     * data then leaves out (app/utils/document-html.tsx). Absent when the answer is data.
     */
    documentHtml?: Map<string, string>;
  }
}

export {};
