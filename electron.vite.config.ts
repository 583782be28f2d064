import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import { resolve } from 'node:path'
import type { Plugin } from 'vite'
import { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY } from './electron/main/policy'

const root = import.meta.dirname

const CSP_META = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/i

/**
 * renderer/index.html carries the production Content-Security-Policy as a <meta>. The build checks it
 * is exactly the policy the main process sends; the dev server swaps in the development policy
 * (HMR websocket to the loopback dev server, React Refresh's inline preamble).
 */
function contentSecurityPolicy(): Plugin {
  let serving = false
  return {
    name: 'pathwise:csp',
    configResolved(config) {
      serving = config.command === 'serve'
    },
    transformIndexHtml: {
      order: 'pre',
      handler(html) {
        const meta = CSP_META.exec(html)
        if (!meta) throw new Error('renderer/index.html must carry a Content-Security-Policy <meta>.')
        if (!serving) {
          if (meta[2] !== CONTENT_SECURITY_POLICY) {
            throw new Error('The Content-Security-Policy <meta> in renderer/index.html differs from CONTENT_SECURITY_POLICY in electron/main/policy.ts.')
          }
          return html
        }
        return html.replace(CSP_META, `$1${DEV_CONTENT_SECURITY_POLICY}$3`)
      },
    },
  }
}

export default defineConfig({
  // Main and preload: bundled for Electron's Node; package.json dependencies (@libsql/client with its
  // native .node module, drizzle-orm, zod, …) stay external (electron-vite's externalizeDeps default).
  main: {
    // The sync server of a release (the release workflow sets it); PATHWISE_SYNC_URL still overrides it
    // at run time (electron/main/policy.ts resolveSyncServerUrl).
    define: { __PATHWISE_DEFAULT_SYNC_URL__: JSON.stringify(process.env.PATHWISE_DEFAULT_SYNC_URL ?? '') },
    build: {
      outDir: resolve(root, 'out/main'),
      rolldownOptions: {
        // The core's worker thread is an entry of its own: main starts it as out/main/core-worker.js.
        // So is the SQL runner's (electron/core/sql/runner.ts workerEntry), out/main/sql-worker.js.
        input: {
          index: resolve(root, 'electron/main/index.ts'),
          'core-worker': resolve(root, 'electron/core/worker/core-worker.ts'),
          'sql-worker': resolve(root, 'electron/core/sql/sql-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      rolldownOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        // A sandboxed preload is run as a classic script: it must be CommonJS, whatever package.json's
        // "type" says. The .cjs extension keeps Node from reading it as an ES module.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react(), contentSecurityPolicy()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      // Shipped to every learner and parsed at each start: keep it small.
      minify: true,
      rolldownOptions: {
        input: { index: resolve(root, 'renderer/index.html') },
      },
    },
  },
})
