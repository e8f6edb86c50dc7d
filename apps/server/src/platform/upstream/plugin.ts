import { readFileSync } from 'node:fs';
import type { SigningKey } from '@backoffice/contracts/service-token';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import { can, type Principal } from '../auth/principal.ts';
import { ServiceUnavailableError } from '../http/errors.ts';
import { UpstreamClient } from './client.ts';

/** A platform service the backoffice calls, as a feature declares it. */
export interface UpstreamService {
  /** Its id, also its service tokens' audience (`catalogue-service`). */
  readonly id: string;
  /** Its name in messages and screens (`Catalogue Service`). */
  readonly name: string;
  /** Where it runs, from the configuration; undefined: not configured (its calls answer 503). */
  readonly url: (config: Config) => string | undefined;
}

export interface ServiceHealth {
  service: string;
  name: string;
  url: string;
  status: 'up' | 'down' | 'degraded';
  latencyMs: number | null;
  circuit: string;
  checkedAt: string | null;
  error: string | null;
}

/**
 * Where each service runs is internal topology, of use to operators only: the URLs are shown to holders
 * of system:read (not Staff), in the health document and on the system.health channel alike.
 */
export function servicesSeenBy<T extends { url?: string }>(
  principal: Principal | null,
  services: readonly T[],
): (Omit<T, 'url'> & { url?: string })[] {
  if (can(principal, 'system:read')) return [...services];
  return services.map(({ url: _url, ...rest }) => rest);
}

export interface Upstreams {
  /** The client of a service, or a 503 explaining it is not configured. */
  client(service: string): UpstreamClient;
  configured(): UpstreamClient[];
  /** A service's name (`Catalogue Service`), configured or not; its id when no feature declares it. */
  readonly nameOf: (service: string) => string;
  health(): ServiceHealth[];
  onHealth(listener: (health: ServiceHealth[]) => void): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    upstream: Upstreams;
  }
}

const SLOW_MS = 1_000;

function signingKey(config: Config['upstream']): SigningKey | undefined {
  if (config.serviceJwtPrivateKeyFile !== undefined) {
    return {
      kind: 'ed25519',
      privateKeyPem: readFileSync(config.serviceJwtPrivateKeyFile, 'utf8'),
    };
  }
  return config.serviceJwtSecret === undefined
    ? undefined
    : { kind: 'secret', secret: config.serviceJwtSecret };
}

/**
 * The platform's services as the backoffice calls them, and a background health check of each
 * (`GET /health` every HEALTH_CHECK_INTERVAL_MS): up, degraded (slow, or its circuit not closed) or down,
 * with latency, for the dashboard and the live system.health channel.
 */
export const upstreamPlugin = fp(
  (app: FastifyInstance, options: { config: Config; services: readonly UpstreamService[] }) => {
    const { upstream } = options.config;
    const key = signingKey(upstream);
    const names = new Map(options.services.map((service) => [service.id, service.name]));
    const clients = new Map<string, UpstreamClient>();
    if (key !== undefined) {
      for (const service of options.services) {
        const baseUrl = service.url(options.config);
        if (baseUrl === undefined) continue;
        clients.set(
          service.id,
          new UpstreamClient({
            audience: service.id,
            name: service.name,
            baseUrl,
            signingKey: key,
            timeoutMs: upstream.timeoutMs,
            retries: upstream.retries,
            breaker: upstream.breaker,
          }),
        );
      }
    }

    const latest = new Map<string, ServiceHealth>();
    const listeners: ((health: ServiceHealth[]) => void)[] = [];
    // The last health check, with the circuit as it is now (it opens between checks).
    const snapshot = () =>
      [...clients.entries()].map(([service, client]): ServiceHealth => {
        const checked = latest.get(service);
        if (checked === undefined) {
          return {
            service,
            name: client.name,
            url: client.baseUrl,
            status: 'down',
            latencyMs: null,
            circuit: client.circuit,
            checkedAt: null,
            error: 'not checked yet',
          };
        }
        const circuit = client.circuit;
        return {
          ...checked,
          circuit,
          status: checked.status === 'up' && circuit !== 'closed' ? 'degraded' : checked.status,
        };
      });

    const check = async () => {
      await Promise.all(
        [...clients.entries()].map(async ([service, client]) => {
          const started = performance.now();
          let status: ServiceHealth['status'] = 'down';
          let error: string | null = null;
          try {
            const response = await fetch(new URL('/health', client.baseUrl), {
              signal: AbortSignal.timeout(upstream.timeoutMs),
            });
            await response.body?.cancel().catch(() => undefined);
            status = response.ok ? 'up' : 'down';
            if (!response.ok) error = `answered ${response.status}`;
          } catch (failure) {
            error = failure instanceof Error ? failure.message : String(failure);
          }
          const latencyMs = Math.round(performance.now() - started);
          if (status === 'up' && (latencyMs > SLOW_MS || client.circuit !== 'closed'))
            status = 'degraded';
          latest.set(service, {
            service,
            name: client.name,
            url: client.baseUrl,
            status,
            latencyMs: status === 'down' ? null : latencyMs,
            circuit: client.circuit,
            checkedAt: new Date().toISOString(),
            error,
          });
        }),
      );
      const health = snapshot();
      for (const listener of listeners) listener(health);
    };

    app.decorate('upstream', {
      client(service: string) {
        const client = clients.get(service);
        if (client === undefined) {
          throw new ServiceUnavailableError(
            `The ${names.get(service) ?? service} is not configured (set its URL and SERVICE_JWT_SECRET).`,
            { extensions: { service } },
          );
        }
        return client;
      },
      configured: () => [...clients.values()],
      nameOf: (service) => names.get(service) ?? service,
      health: snapshot,
      onHealth: (listener) => listeners.push(listener),
    } satisfies Upstreams);

    if (clients.size > 0) {
      app.scheduler.register({
        name: 'upstream.health',
        description: 'Checks each platform service’s health from this instance',
        everyMs: upstream.healthIntervalMs,
        scope: 'instance',
        run: check,
      });
    }
  },
  { name: 'upstream', dependencies: ['jobs'] },
);
