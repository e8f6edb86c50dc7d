import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const DEFAULT_WEB_UI_DIR = fileURLToPath(new URL('../../../../web/dist', import.meta.url));

/** Paths the UI never owns: an unknown one is a 404 problem, not the UI's index page. */
const API_PATHS = /^\/(v1|docs|healthz|readyz|metrics)(\/|$)/;

/**
 * Serves the admin UI's production build at `/`. Hashed assets are cached for a year; index.html is
 * never cached (a new release is seen at once). Any other GET from a browser (Accept: text/html) that is
 * not an API path answers the UI's index.html, so client-side routes (/audit/…) survive a reload.
 */
export async function webUiRoutes(app: FastifyInstance, options: { root: string }): Promise<void> {
  const index = path.join(options.root, 'index.html');
  if (!existsSync(index)) {
    app.log.warn(
      { root: options.root },
      'the admin UI is not built: run `npm run build` (only the API is served)',
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: options.root,
    wildcard: false,
    index: false,
    // Our own Cache-Control below; the plugin's default would overwrite it.
    cacheControl: false,
    setHeaders(response, file) {
      response.setHeader(
        'cache-control',
        file.includes(`${path.sep}assets${path.sep}`)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      );
    },
  });
  const sendIndex = (
    _request: unknown,
    reply: { header(k: string, v: string): unknown; sendFile(f: string): unknown },
  ) => {
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html');
  };
  app.get('/', { config: { public: true }, schema: { hide: true } }, sendIndex);
  app.get('/*', { config: { public: true }, schema: { hide: true } }, (request, reply) => {
    // A browser navigating asks for HTML; anything else (curl, a script, a stale asset) gets the
    // 404 problem an unknown path deserves, not the UI's page with a 200.
    const wantsHtml = request.headers.accept?.includes('text/html') === true;
    if (API_PATHS.test(request.url) || !wantsHtml) return reply.callNotFound();
    return sendIndex(request, reply);
  });
}
