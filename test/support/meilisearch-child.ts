// A stand-in for the server in supervisor tests: starts the local Meilisearch on the data folder
// given, prints its pid, and runs until killed.
import { startLocalMeilisearch } from '#search/local-server';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: meilisearch-child.ts <data dir>');
const meili = await startLocalMeilisearch(dataDir);
console.log(JSON.stringify({ meilisearchPid: meili?.pid() ?? null }));
setInterval(() => {}, 60_000);
