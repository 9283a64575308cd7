import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// No build-time configuration: the backend URL and publishable key are read at run time
// (/config.json, then /storeplane/config), so one build serves every store.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
});
