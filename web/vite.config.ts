import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'

// Built by `npm install` / `npm start` into web/dist, which the Regulars server serves.
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: '/',
  plugins: [
    react(),
    // Installable on a phone's home screen; the service worker keeps the app's files, and the member's
    // card (who they are, their card and tier), so the card shows at the till without a connection.
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script',
      includeAssets: ['favicon.svg', 'apple-touch-icon.png'],
      manifest: {
        name: 'Regulars',
        short_name: 'Regulars',
        description: 'Your membership: card, points, rewards and friends',
        start_url: '/me',
        scope: '/',
        display: 'standalone',
        background_color: '#f8f9fa',
        theme_color: '#0b7285',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png}'],
        // The Insights page and the charts are for staff on a desk: not worth a shopper's phone storage.
        globIgnores: ['**/Insights-*.js', '**/ChartCanvas-*.js'],
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/v1\//, /^\/docs/, /^\/metrics/, /^\/openapi/],
        runtimeCaching: [
          {
            // What the card needs; the network first, the last answer when there is none. Cleared at log out.
            urlPattern: ({ url, request }) => request.method === 'GET' && /^\/v1\/(auth\/me|me|me\/tier|me\/points)$/.test(url.pathname),
            handler: 'NetworkFirst',
            options: { cacheName: 'member-card', networkTimeoutSeconds: 4, cacheableResponse: { statuses: [200] } },
          },
        ],
      },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Charts come with the Insights page only (a lazy route), so shoppers never download them.
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { '/v1': 'http://localhost:8080' } },
})
