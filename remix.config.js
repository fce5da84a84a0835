/** @type {import('@remix-run/dev').AppConfig} */
// SYMBOL_DESK_BUILD_DIR builds elsewhere than build/ (assets beside it), so parallel runs on one
// machine do not overwrite each other's bundles. Assets are still served under /build/.
const buildDir = process.env.SYMBOL_DESK_BUILD_DIR;

export default {
  ...(buildDir ? { serverBuildPath: `${buildDir}/index.js`, assetsBuildDirectory: `${buildDir}/assets` } : {}),
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  serverModuleFormat: "esm",
  // pg and PGlite stay external: PGlite loads its .wasm files relative to its own package.
  serverDependenciesToBundle: [],
  postcss: true,
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
