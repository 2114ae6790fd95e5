import { defineConfig } from 'vite';

// No React plugin: the build needs only JSX, which Vite's own transform (oxc) compiles with the automatic runtime.
// `npm run dev:web` proxies the API to a node on :8080.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:8080', ws: true } },
  },
});
