import { CHANNELS, TextSchema } from '@backoffice/contracts';
import type {} from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Logger } from 'pino';
import { z } from 'zod';
import { UpgradeRequiredError } from '../http/errors.ts';
import { problemResponses } from '../http/openapi.ts';
import { RealtimeHub, type HubOptions } from './hub.ts';

declare module 'fastify' {
  interface FastifyInstance {
    realtime: RealtimeHub;
  }
}

/**
 * `GET /v1/admin/ws`: the live WebSocket (README "Live updates"). Authenticated at the handshake — a
 * single-use ticket (`?ticket=`, so tokens never travel in URLs) or a bearer header — like any route.
 */
export const realtimePlugin = fp(
  // @fastify/websocket is registered by app.ts, ahead of authentication (see there).
  (app: FastifyInstance, options: HubOptions) => {
    const hub = new RealtimeHub(
      app.db,
      app.notifications,
      app.authenticator,
      options,
      app.log.child({ component: 'realtime' }) as Logger,
    );
    app.decorate('realtime', hub);

    app.route({
      method: 'GET',
      url: '/v1/admin/ws',
      config: { authenticated: true, ticketAuth: true },
      schema: {
        tags: ['realtime'],
        summary:
          'Live updates over WebSocket (open with ?ticket= from POST /v1/admin/realtime/ticket)',
        description:
          'Send {"type":"subscribe","channels":["dashboard.metrics"]}; receive {type, channel, data, at}. ' +
          `Channels (and the permission each needs): ${Object.entries(CHANNELS)
            .map(([channel, permission]) => `${channel} (${permission})`)
            .join(', ')}.`,
        querystring: z.object({ ticket: TextSchema.max(200).optional() }),
        response: { ...problemResponses(401, 403, 426) },
      },
      // A plain HTTP request here (no Upgrade header) gets a problem document, not a socket.
      handler: () => {
        throw new UpgradeRequiredError(
          'This is a WebSocket endpoint: connect with a WebSocket client.',
        );
      },
      wsHandler: (socket, request) => {
        if (request.principal === null) return socket.close(4401, 'unauthenticated');
        request.log.info({ staffId: request.principal.staffId }, 'websocket opened');
        hub.attach(socket, request.principal);
      },
    });

    app.addHook('onReady', () => {
      hub.start();
      return Promise.resolve();
    });
    app.addHook('preClose', () => hub.stop());
  },
  { name: 'realtime', dependencies: ['@fastify/websocket', 'auth'] },
);
