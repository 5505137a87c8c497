// Compiles server.ts and the server code it imports into build/server.js, so production runs on
// plain Node without transpiling TypeScript at start. Packages stay in node_modules.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const aliases: Record<string, string> = {
  '~/': 'app/',
  '#db/': 'db/',
  '#search/': 'search/',
  '#lib/': 'lib/',
};

/** Our path aliases (tsconfig paths) resolve to files; every other bare import is a package. */
const resolveImports: Plugin = {
  name: 'commons-imports',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      const alias = Object.keys(aliases).find((prefix) => args.path.startsWith(prefix));
      if (!alias) return { path: args.path, external: true };
      const target = path.join(root, aliases[alias]!, args.path.slice(alias.length));
      const resolved = await builder.resolve(`./${path.relative(args.resolveDir, target)}`, {
        kind: args.kind,
        resolveDir: args.resolveDir,
      });
      return resolved.errors.length ? { errors: resolved.errors } : { path: resolved.path };
    });
  },
};

await build({
  entryPoints: [path.join(root, 'server.ts')],
  outfile: path.join(root, 'build/server.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  plugins: [resolveImports],
  logLevel: 'warning',
});
