import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * A PostgreSQL server of the tests' own: a fresh cluster in a temporary folder on a free port,
 * from the machine's PostgreSQL binaries (Debian's `postgresql` package, which .ci/run installs),
 * stopped by its pid when the run ends. PostgreSQL refuses to run as root, so as root it runs as
 * the package's `postgres` user.
 */

export type TestPostgres = { url: string; stop(): Promise<void> };

/** The folder of the newest PostgreSQL installed from Debian's packages, or null. */
export function postgresBinaries(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((version) => fs.existsSync(path.join(root, version, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

/** Who runs the server: this user, or `postgres` when this is root. */
function runAs(): { uid: number; gid: number } | null | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entry = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((line) => line.startsWith('postgres:'));
  const [, , uid, gid] = entry?.split(':') ?? [];
  return uid && gid ? { uid: Number(uid), gid: Number(gid) } : null;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitUntilReady(url: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`PostgreSQL stopped at start:\n${log()}`);
    const client = new pg.Client(url);
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not start: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Starts the server, or returns null when this machine has no PostgreSQL to start. */
export async function startTestPostgres(): Promise<TestPostgres | null> {
  const bin = postgresBinaries();
  const user = runAs();
  if (!bin || user === null) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'commons-pg-'));
  fs.chmodSync(dir, 0o755);
  if (user) fs.chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const initdb = spawnSync(
    path.join(bin, 'initdb'),
    ['-D', data, '-U', 'commons', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
    { encoding: 'utf8', ...(user ?? {}) },
  );
  if (initdb.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${initdb.stderr}`);
  }
  const port = await freePort();
  let output = '';
  const child = spawn(
    path.join(bin, 'postgres'),
    [
      ...['-D', data, '-p', String(port), '-k', dir],
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
      ...['-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], ...(user ?? {}) },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // NOTE: a smart shutdown first (SIGTERM), which lets sessions finish. pg's pool.end() resolves
  // before its connections have closed; a fast shutdown (SIGINT) right after it sent those
  // connections "terminating connection due to administrator command", which the ended pool
  // raised as an unhandled error and failed a test that had passed. The fast shutdown follows
  // only if a session is still open after 5 s.
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    const fast = setTimeout(() => child.kill('SIGINT'), 5_000);
    await exited;
    clearTimeout(fast);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const url = `postgres://commons@127.0.0.1:${port}/postgres`;
  try {
    await waitUntilReady(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
