// electron-vite build of the three Electron pieces into out/:
//   out/main/main.js        main process (ESM, package.json "type": "module"), from electron/main.ts
//   out/main/verify-worker.js  the import's verification worker thread
//   out/main/vocabulary-worker.js  builds the search vocabulary index
//   out/main/facet-columns-worker.js  reads the facet columns (facets and histogram)
//   out/main/csv-worker.js  renders an evidence pack's CSV rows
//   out/preload/preload.cjs preload, forced to CommonJS: sandboxed preloads cannot be ES modules
//   out/renderer/           the React UI, root renderer/ (index.html)
// The project does not use electron-vite's default src/{main,preload,renderer} folders, so every
// entry is named here. Node built-ins, `electron` and dependencies stay external in main/preload.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string };

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      lib: {
        entry: {
          main: resolve(root, 'electron/main.ts'),
          // Started by verify-stream.ts as `./verify-worker.js` beside the bundled core.
          'verify-worker': resolve(root, 'electron/core/workspace/verify-worker.ts'),
          // Started by vocabulary-build.ts as `./vocabulary-worker.js` (the search vocabulary).
          'vocabulary-worker': resolve(root, 'electron/core/search/vocabulary-worker.ts'),
          // Started by facet-columns-build.ts as `./facet-columns-worker.js` (facets, histogram).
          'facet-columns-worker': resolve(root, 'electron/core/search/facet-columns-worker.ts'),
          // Started by the export as `./csv-worker.js`: renders CSV batches beside the zip writer.
          'csv-worker': resolve(root, 'electron/core/export/csv-worker.ts'),
        },
      },
    },
  },
  preload: {
    // Replaced at build time: the sandboxed preload cannot read package.json.
    define: { __AUDIT_DESK_VERSION__: JSON.stringify(pkg.version) },
    build: {
      outDir: resolve(root, 'out/preload'),
      rolldownOptions: {
        input: { preload: resolve(root, 'electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
