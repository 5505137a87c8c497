import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { s3Store, signV4 } from '~/models/uploads/s3-store.server';
import { readUpload } from '~/models/uploads/serve.server';
import { sha256Hex, type UploadStore } from '~/models/uploads/store.server';
import { storeUpload } from '~/models/uploads/uploads.server';
import { getConfig } from '~/utils/config.server';
import { getDb } from '~/utils/db.server';
import { viewerOfActor } from '~/models/thread-access.server';
import { makeUser } from '../support/community';
import { pngOf } from '../support/uploads';

// A real S3-protocol server (s3rver) on a free port of 127.0.0.1, with its data in a temp folder.
let server: S3rver | undefined;
let directory = '';
let store: UploadStore;

beforeAll(async () => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-s3rver-'));
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: 'commons-uploads' }],
  });
  const { port } = await server.run();
  store = s3Store({
    url: `http://127.0.0.1:${port}`,
    bucket: 'commons-uploads',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    region: 'us-east-1',
  });
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

describe('the S3 upload store', () => {
  test('signs requests as AWS documents Signature Version 4 (its GET example)', () => {
    const headers = signV4(
      {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        region: 'us-east-1',
      },
      {
        method: 'GET',
        host: 'examplebucket.s3.amazonaws.com',
        path: '/test.txt',
        body: Buffer.alloc(0),
        headers: { Range: 'bytes=0-9' },
      },
      new Date('2013-05-24T00:00:00Z'),
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  test('puts, gets and deletes bytes by their hash; a missing key reads as null', async () => {
    const bytes = Buffer.from('a log line\n'.repeat(1_000));
    const key = sha256Hex(bytes);
    expect(await store.get(key)).toBeNull();
    await store.put(key, bytes, 'text/plain; charset=utf-8');
    expect(await store.get(key)).toEqual(bytes);
    await store.delete(key);
    expect(await store.get(key)).toBeNull();
    // Deleting again is not an error: the cleanup job may race another server's.
    await store.delete(key);
  });

  test('an uploaded screenshot is stored in the bucket, not on local disk, and served from it', async () => {
    const member = await makeUser();
    const stored = await storeUpload(
      getDb(),
      member,
      { name: 'from-s3.png', bytes: await pngOf(400, 300, '#884422') },
      { store },
    );
    if (!stored.ok) throw new Error(stored.error);
    const row = await getDb()
      .selectFrom('uploads')
      .select('sha256')
      .where('id', '=', stored.upload.id)
      .executeTakeFirstOrThrow();
    expect((await store.get(row.sha256))?.length).toBe(stored.upload.bytes);
    const local = path.resolve(getConfig().DATA_DIR, 'uploads', row.sha256.slice(0, 2));
    expect(fs.existsSync(path.join(local, row.sha256.slice(2, 4), row.sha256))).toBe(false);

    const file = await readUpload(
      getDb(),
      await viewerOfActor(getDb(), member),
      { id: stored.upload.id, name: 'from-s3.png', display: false },
      store,
    );
    expect(file?.bytes.length).toBe(stored.upload.bytes);
    expect(file?.headers['Content-Type']).toBe('image/png');
  });
});
