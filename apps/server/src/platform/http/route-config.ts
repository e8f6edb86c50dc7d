declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without authentication: probes, metrics, API docs, sign-in. */
    public?: boolean;
    /**
     * Answered requests log at this level instead of `info`: machine traffic as steady as a broker
     * source's batches (the webhook), which the ingestion metrics count already. Failures stay visible.
     */
    routineLogLevel?: 'debug';
  }
}

export {};
