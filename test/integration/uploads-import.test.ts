import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { getDb } from '~/utils/db.server';
import { importStackExchange } from '../../import/stackexchange/importer';

const fixture = path.resolve(import.meta.dirname, '../fixtures/stackexchange-mini');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-se-images-'));

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Stack Exchange posts show screenshots from its image host, often wrapped in a link to the
// full-size image: the "enter image description here" pattern of its editor.
const screenshot = 'https://i.sstatic.net/Wa11e.png';
const linkedFull = 'https://i.stack.imgur.com/Big01.png';
const imageHtml =
  `<p><img src="${screenshot}" alt="wallet delegation screen"></p>` +
  `<p><a href="${linkedFull}" rel="nofollow noreferrer"><img src="${linkedFull}" alt="enter image description here"></a></p>`;

function escapeXml(text: string) {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

describe('images in imported Stack Exchange posts', () => {
  test('stay links to the remote image host: nothing is downloaded or recorded as an upload', async () => {
    for (const file of fs.readdirSync(fixture))
      fs.copyFileSync(path.join(fixture, file), path.join(dir, file));
    const posts = fs.readFileSync(path.join(dir, 'Posts.xml'), 'utf8');
    // The first question's body gains the two images.
    const withImages = posts.replace(/(<row Id="1" [^>]*?Body=")/, `$1${escapeXml(imageHtml)}`);
    expect(withImages).not.toBe(posts);
    fs.writeFileSync(path.join(dir, 'Posts.xml'), withImages);

    const uploadsBefore = await getDb().selectFrom('uploads').select('id').execute();
    await importStackExchange(getDb(), { dir, site: 'https://images.stackexchange.com' });

    const record = await getDb()
      .selectFrom('import_records')
      .innerJoin('threads', 'threads.id', 'import_records.local_id')
      .select(['threads.body_md', 'threads.body_html'])
      .where('import_records.source', '=', 'images.stackexchange.com')
      .where('import_records.kind', '=', 'thread')
      .where('import_records.external_id', '=', '1')
      .executeTakeFirstOrThrow();
    expect(record.body_md).toContain(`![wallet delegation screen](${screenshot})`);
    expect(record.body_html).toContain(
      `<img src="${screenshot}" alt="wallet delegation screen" loading="lazy" />`,
    );
    expect(record.body_html).toContain(
      `<img src="${linkedFull}" alt="enter image description here" loading="lazy" />`,
    );
    expect(record.body_html).not.toContain('/uploads/');
    expect(await getDb().selectFrom('uploads').select('id').execute()).toEqual(uploadsBefore);
    expect(await getDb().selectFrom('upload_uses').select('upload_id').execute()).toEqual([]);
  });
});
