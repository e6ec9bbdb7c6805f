import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// Built by `npm install` / `npm start` into web/dist, which the Regulars server serves.
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Charts come with the Insights page only (a lazy route), so shoppers never download them.
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { '/v1': 'http://localhost:8080' } },
})
