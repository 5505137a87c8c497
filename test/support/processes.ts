import fs from 'node:fs';
import path from 'node:path';

/** Pids of the Meilisearch processes running on this data folder (read from /proc). */
export function meilisearchesOn(dataDir: string): number[] {
  const dbPath = path.join(path.resolve(dataDir), 'meilisearch', 'data.ms');
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return /meilisearch$/.test(args[0] ?? '') && args.includes(dbPath);
      } catch {
        return false;
      }
    })
    .map(Number);
}
