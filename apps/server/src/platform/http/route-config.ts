declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without authentication: probes, metrics, API docs, sign-in. */
    public?: boolean;
  }
}

export {};
