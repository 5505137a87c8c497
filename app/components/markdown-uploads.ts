// Browser side of attaching files to a Markdown body: send one file to POST /uploads with
// progress, and edit the textarea's text around the cursor. Written by hand (no library) because
// it ships on every page with an editor, and the thread page has a JavaScript budget.

export type Sent = { ok: true; markdown: string } | { ok: false; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** What POST /uploads answered, as Markdown to insert or a sentence to show. */
export function readUploadReply(status: number, reply: unknown, name: string): Sent {
  const upload = isRecord(reply) ? reply.upload : null;
  if (status === 201 && isRecord(upload) && typeof upload.markdown === 'string')
    return { ok: true, markdown: upload.markdown };
  const error = isRecord(reply) ? reply.error : null;
  if (isRecord(error) && typeof error.message === 'string')
    return { ok: false, message: error.message };
  // Refusals made before the upload route runs (a body over the server's limit, a lost session)
  // come as pages, not JSON.
  if (status === 413) return { ok: false, message: `${name} is too large to upload.` };
  if (status === 401 || status === 403)
    return { ok: false, message: `${name} was not uploaded: sign in again, then attach it.` };
  return { ok: false, message: `${name} could not be uploaded (error ${status}). Try again.` };
}

/** Sends one file; `onProgress` gets the fraction sent so far (0 to 1). */
export function sendFile(file: File, onProgress: (fraction: number) => void): Promise<Sent> {
  return new Promise((resolve) => {
    // NOTE: XMLHttpRequest, not fetch: fetch reports no upload progress.
    const request = new XMLHttpRequest();
    const body = new FormData();
    body.append('file', file, file.name);
    request.open('POST', '/uploads');
    request.responseType = 'json';
    request.setRequestHeader('Accept', 'application/json');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => resolve(readUploadReply(request.status, request.response, file.name));
    request.onerror = () =>
      resolve({
        ok: false,
        message: `${file.name} was not uploaded: the connection failed. Try again.`,
      });
    request.send(body);
  });
}

/**
 * A pasted screenshot arrives as "image.png" every time; a dated name tells several apart in the
 * text and in the upload list.
 */
export function namePasted(file: File, now = new Date()): File {
  if (!/^image\.\w+$/.test(file.name)) return file;
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return new File([file], `screenshot-${stamp}.${file.name.split('.')[1]}`, { type: file.type });
}

/** The text that stands where the file will go while it uploads, unique within `text`. */
export function placeholderFor(name: string, text: string): string {
  const label = name.replace(/[[\]]/g, '');
  for (let n = 1; ; n += 1) {
    const candidate = `![Uploading ${label}${n > 1 ? ` (${n})` : ''}…]()`;
    if (!text.includes(candidate)) return candidate;
  }
}

/**
 * Inserts `text` at the cursor (replacing any selection) on a line of its own, and leaves the
 * cursor after it.
 */
export function insertAtCursor(textarea: HTMLTextAreaElement, text: string) {
  const { selectionStart: start, selectionEnd: end, value } = textarea;
  const before = start > 0 && value[start - 1] !== '\n' ? '\n' : '';
  const after = end < value.length && value[end] !== '\n' ? '\n' : '';
  textarea.setRangeText(`${before}${text}${after}`, start, end, 'end');
}

/**
 * Replaces the first `from` with `to`, wherever the person's typing has moved it; their cursor
 * and selection stay on the same text. False when `from` is gone (they deleted it).
 */
export function replaceText(textarea: HTMLTextAreaElement, from: string, to: string): boolean {
  const { value } = textarea;
  let start = value.indexOf(from);
  if (start < 0) return false;
  let end = start + from.length;
  // A placeholder taken out takes its line with it.
  if (!to && value[start - 1] === '\n') start -= 1;
  else if (!to && value[end] === '\n') end += 1;
  textarea.setRangeText(to, start, end, 'preserve');
  return true;
}
