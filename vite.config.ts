import { defineConfig } from 'vite';
import basicSsl from '@vitejs/plugin-basic-ssl';

export default defineConfig(({ mode }) => ({
  // `npm run start:lan` serves over HTTPS with a self-signed certificate, because phone browsers only give
  // the camera to secure origins (localhost is the one exception, and a phone is not on localhost).
  plugins: mode === 'lan' ? [basicSsl()] : [],
  build: {
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      // harness.html drives the real worker for tests, `npm run bench` and `npm run eval:e2e`.
      input: { app: 'index.html', harness: 'harness.html' },
    },
  },
  worker: { format: 'es' },
  preview: { port: 4173, strictPort: false },
}));
