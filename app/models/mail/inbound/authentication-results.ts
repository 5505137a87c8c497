/** What the receiving server found when it checked the sender (RFC 8601), per method. */
export type MailAuthentication = { spf: string | null; dkim: string | null; dmarc: string | null };

type Method = keyof MailAuthentication;
const METHODS: readonly Method[] = ['spf', 'dkim', 'dmarc'];

/** A header value without its (possibly nested) comments: "(sender SPF authorized)". */
function withoutComments(value: string): string {
  let result = '';
  let depth = 0;
  let quoted = false;
  for (let at = 0; at < value.length; at++) {
    const char = value[at];
    if (char === '\\') {
      if (depth === 0) result += value.slice(at, at + 2);
      at++;
    } else if (char === '"' && depth === 0) {
      quoted = !quoted;
      result += char;
    } else if (char === '(' && !quoted) {
      depth++;
    } else if (char === ')' && !quoted && depth > 0) {
      depth--;
      if (depth === 0) result += ' ';
    } else if (depth === 0) {
      result += char;
    }
  }
  return result;
}

type Parsed = { authservId: string; results: Map<Method, string[]> };

function parseHeader(value: string): Parsed {
  const [head = '', ...resinfos] = withoutComments(value).split(';');
  const results = new Map<Method, string[]>();
  for (const resinfo of resinfos) {
    const match = /^\s*([a-z0-9-]+)\s*=\s*([a-z]+)/i.exec(resinfo);
    const method = METHODS.find((name) => name === match?.[1]?.toLowerCase());
    if (!method || !match?.[2]) continue;
    const values = results.get(method) ?? [];
    values.push(match[2].toLowerCase());
    results.set(method, values);
  }
  // "mx.example.com 1": the id, then an optional version.
  return { authservId: head.trim().split(/\s+/)[0]?.toLowerCase() ?? '', results };
}

/**
 * The SPF, DKIM and DMARC results of the Authentication-Results headers, newest (topmost)
 * first. Only headers from the server that added the topmost one count: the ones below came from
 * earlier hops or from the sender, who can write anything there. A message signed several times
 * passes DKIM when one signature passes.
 */
export function authenticationResults(headers: readonly string[]): MailAuthentication {
  const found: MailAuthentication = { spf: null, dkim: null, dmarc: null };
  const parsed = headers.map(parseHeader);
  const trusted = parsed[0]?.authservId;
  if (!trusted) return found;
  for (const { authservId, results } of parsed) {
    if (authservId !== trusted) continue;
    for (const method of METHODS) {
      const values = results.get(method);
      if (!values?.length) continue;
      if (found[method] === null) found[method] = values[0] ?? null;
      if (method === 'dkim' && values.includes('pass')) found.dkim = 'pass';
    }
  }
  return found;
}
