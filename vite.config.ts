import { vitePlugin as remix } from '@remix-run/dev';
import type { ManualChunkMeta } from 'rollup';
import { defineConfig } from 'vite';
import tsconfigPaths from 'vite-tsconfig-paths';

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true;
  }
}

/** A module this many others import (form helpers, dates, links) is on nearly every page. */
const nearlyEverywhere = 10;

const rootModule = `${import.meta.dirname}/app/root.tsx`;

/**
 * Every page loads root.tsx and what it imports, so those modules are grouped in two chunks
 * instead of one per module (one file compresses better and costs one request): `framework`
 * holds the packages (React, Remix), which change rarely and stay cached across releases, and
 * `shell` the app's own, with the small helpers nearly every page imports. Everything else is
 * split the way Rollup splits it.
 */
function pageShell(id: string, { getModuleInfo }: ManualChunkMeta) {
  const ownModule = !id.includes('/node_modules/');
  if (ownModule && (getModuleInfo(id)?.importers.length ?? 0) >= nearlyEverywhere) return 'shell';
  const seen = new Set<string>();
  const queue = [rootModule];
  while (queue.length > 0) {
    const next = queue.pop()!;
    if (next === id) return ownModule ? 'shell' : 'framework';
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...(getModuleInfo(next)?.importedIds ?? []));
  }
  return undefined;
}

export default defineConfig(({ isSsrBuild }) => ({
  plugins: [
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
        v3_routeConfig: true,
      },
    }),
    tsconfigPaths(),
  ],
  build: {
    target: 'es2022',
    rollupOptions: isSsrBuild ? {} : { output: { manualChunks: pageShell } },
  },
}));
