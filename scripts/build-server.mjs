// Builds the server and CLI once (at install, and before `npm start`) into dist/regulars.js, so
// `regulars` starts in a moment instead of compiling the TypeScript on every start.
// Packages stay outside the bundle: only our own code is compiled here.
import { build } from 'esbuild'

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/regulars.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
})
