import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The designer is served by `patchbay serve` at `/`; in development Vite proxies the API to it.
export default defineConfig({
  base: '/',
  plugins: [react()],
  resolve: { conditions: ['source', 'browser', 'module', 'import', 'default'] },
  server: { proxy: { '/api': 'http://127.0.0.1:5170' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes('node_modules/@fluentui/react-icons')) return 'icons';
          if (id.includes('node_modules/@fluentui') || id.includes('node_modules/@griffel')) return 'fluent';
          if (id.includes('node_modules/react') || id.includes('node_modules/scheduler')) return 'react';
          return undefined;
        },
      },
    },
  },
});
