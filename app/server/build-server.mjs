// Bundles the Express entry into build/server.js and the job worker into build/worker.js. Workspace packages (@desk/*)
// and our own modules are compiled in; registry packages stay external.
import { cp, readFile } from 'node:fs/promises'
import { build } from 'esbuild'

const pkg = JSON.parse(await readFile('package.json', 'utf8'))
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter(
  (name) => !name.startsWith('@desk/'),
)

await build({
  entryPoints: { server: 'app/server/main.ts', worker: 'app/server/worker.ts' },
  outdir: 'build',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: [...external, './index.js'],
  sourcemap: true,
  logLevel: 'warning',
})
// Migrations are read from beside the bundle at start-up.
await cp('db/migrations', 'build/migrations', { recursive: true })
