import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { getConfig, type Config } from '~/utils/config.server';
import { s3Store } from './s3-store.server';

/**
 * Where uploaded bytes live, addressed by the SHA-256 (hex) of those bytes: the same file is
 * stored once however many uploads point at it, and a key never changes what it holds.
 */
export type UploadStore = {
  put(key: string, bytes: Buffer, type: string): Promise<void>;
  /** The bytes, or null when nothing is stored under the key. */
  get(key: string): Promise<Buffer | null>;
  /** Removes the key; removing a key that is not there is not an error. */
  delete(key: string): Promise<void>;
};

export function sha256Hex(bytes: Buffer): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

const KEY = /^[0-9a-f]{64}$/;

export function assertKey(key: string): void {
  // Keys become file paths and URL paths: only a hash may reach them.
  if (!KEY.test(key)) throw new Error(`not an upload key: ${key}`);
}

/** Files under one folder, two levels of fan-out (ab/cd/abcd…) so no folder grows huge. */
export function localStore(root: string): UploadStore {
  const fileOf = (key: string) => {
    assertKey(key);
    return path.join(root, key.slice(0, 2), key.slice(2, 4), key);
  };
  return {
    async put(key, bytes) {
      const file = fileOf(key);
      try {
        await fs.access(file);
        return; // the same bytes are already there
      } catch {
        // not stored yet
      }
      await fs.mkdir(path.dirname(file), { recursive: true });
      // Written aside and renamed, so a reader never sees half a file.
      const partial = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.part`;
      await fs.writeFile(partial, bytes, { mode: 0o600 });
      await fs.rename(partial, file);
    },
    async get(key) {
      try {
        return await fs.readFile(fileOf(key));
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async delete(key) {
      await fs.rm(fileOf(key), { force: true });
    },
  };
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/** The store the configuration names: S3 when S3_URL is set, else DATA_DIR/uploads. */
export function storeFor(config: Config): UploadStore {
  if (config.S3_URL && config.S3_BUCKET && config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY)
    return s3Store({
      url: config.S3_URL,
      bucket: config.S3_BUCKET,
      accessKeyId: config.S3_ACCESS_KEY_ID,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY,
      region: config.S3_REGION,
    });
  return localStore(path.resolve(config.DATA_DIR, 'uploads'));
}

let cached: UploadStore | undefined;

export function getUploadStore(): UploadStore {
  cached ??= storeFor(getConfig());
  return cached;
}
