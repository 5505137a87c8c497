import { describe, expect, test } from 'vitest';
import { namePasted, placeholderFor, readUploadReply } from '~/components/markdown-uploads';

describe('the editor reading what POST /uploads answered', () => {
  test('a stored file gives the Markdown to insert', () => {
    const reply = {
      upload: { id: 'a', url: '/uploads/a/x.png', markdown: '![x.png](/uploads/a/x.png)' },
    };
    expect(readUploadReply(201, reply, 'x.png')).toEqual({
      ok: true,
      markdown: '![x.png](/uploads/a/x.png)',
    });
  });

  test("a refusal shows the server's own sentence", () => {
    const reply = { error: { code: 'too_large', message: 'x.png is 11 MB; at most 10 MB.' } };
    expect(readUploadReply(413, reply, 'x.png')).toEqual({
      ok: false,
      message: 'x.png is 11 MB; at most 10 MB.',
    });
  });

  test('a refusal that is not JSON still names the file and says what to do', () => {
    expect(readUploadReply(413, null, 'x.png')).toEqual({
      ok: false,
      message: 'x.png is too large to upload.',
    });
    expect(readUploadReply(401, null, 'x.png').ok).toBe(false);
    expect(readUploadReply(502, null, 'x.png')).toEqual({
      ok: false,
      message: 'x.png could not be uploaded (error 502). Try again.',
    });
    // A 201 without the Markdown is not taken for a success.
    expect(readUploadReply(201, { upload: {} }, 'x.png').ok).toBe(false);
  });
});

describe('placeholders and pasted names', () => {
  test('two uploads of the same name get placeholders that tell them apart', () => {
    const first = placeholderFor('shot.png', 'text');
    expect(first).toBe('![Uploading shot.png…]()');
    expect(placeholderFor('shot.png', `text ${first}`)).toBe('![Uploading shot.png (2)…]()');
    // Brackets in a name would end the placeholder's text early.
    expect(placeholderFor('a]b[c.png', '')).toBe('![Uploading abc.png…]()');
  });

  test('a pasted screenshot gets a dated name; a named file keeps its name', () => {
    const at = new Date(2026, 11, 5, 9, 4, 7);
    const pasted = namePasted(new File(['x'], 'image.png', { type: 'image/png' }), at);
    expect(pasted.name).toBe('screenshot-2026-12-05-090407.png');
    expect(pasted.type).toBe('image/png');
    const named = new File(['x'], 'invoice.png', { type: 'image/png' });
    expect(namePasted(named, at)).toBe(named);
  });
});
