import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export type TestServer = {
  url: string;
  dataDir: string;
  pid: number;
  /** Everything the server printed so far. */
  logs: () => string;
  /** The exit code once stopped (null while running or when killed by a signal). */
  exitCode: () => number | null;
  /** Stops the server; its temporary data directory goes too, unless kept for a restart. */
  stop: (options?: { keepData?: boolean }) => Promise<void>;
};

const running = new Set<ChildProcess>();
// If the test runner itself dies, take the servers down with it.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts the built production server (npm run build first) on a free port, on its own data
 * directory (a new temporary one unless given), and waits until it answers.
 */
export async function startTestServer(
  options: { dataDir?: string; env?: Record<string, string> } = {},
): Promise<TestServer> {
  if (!fs.existsSync(path.join(projectRoot, 'build/server.js'))) {
    throw new Error('No production build: run `npm run build` before the end-to-end tests.');
  }
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'commons-e2e-'));
  const ownsDataDir = !options.dataDir;
  // The database is the data directory's SQLite file unless the test names another.
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  Object.assign(env, { NODE_ENV: 'production', PORT: '0', DATA_DIR: dataDir }, options.env);
  const child = spawn(process.execPath, ['build/server.js'], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in 30 s:\n${output.join('')}`)),
      30_000,
    );
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      const match = /"message":"listening","url":"([^"]+)"/.exec(text);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output.join('')}`));
    });
  });

  async function stop({ keepData = false } = {}) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timeout);
    }
    running.delete(child);
    if (ownsDataDir && !keepData) fs.rmSync(dataDir, { recursive: true, force: true });
  }

  return {
    url,
    dataDir,
    pid: child.pid ?? 0,
    stop,
    logs: () => output.join(''),
    exitCode: () => child.exitCode,
  };
}
