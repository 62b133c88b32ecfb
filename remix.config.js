/** @type {import('@remix-run/dev').AppConfig} */
export default {
  // The classic compiler (not Vite): see docs/decisions/001-remix-classic-compiler.md.
  appDirectory: 'app',
  assetsBuildDirectory: 'public/build',
  publicPath: '/build/',
  serverBuildPath: 'build/index.js',
  serverModuleFormat: 'esm',
  serverPlatform: 'node',
  // Workspace packages ship TypeScript sources; the server bundle compiles them in.
  serverDependenciesToBundle: [/^@desk\//],
  ignoredRouteFiles: ['**/.*', '**/*.test.{ts,tsx}'],
  watchPaths: ['packages/*/src/**/*', 'tenants/*.yaml'],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    // Lazy route discovery (fog of war) is off: with it every document inlined a partial manifest that
    // Remix computed per request by matching every parent path against all routes (7 % of a desk
    // page's server CPU, docs/performance.md); without it the page imports the build's manifest file
    // (immutable, cached by the browser for a year).
    v3_lazyRouteDiscovery: false,
  },
}
