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
    v3_lazyRouteDiscovery: true,
  },
}
