import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The production bundle goes into the Python package, which `stead serve` serves at "/".
const outDir = '../src/stead/webapp/static'; // relative to this directory

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir,
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
