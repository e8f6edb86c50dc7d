import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface CheckResult {
  ok: boolean;
  detail?: string;
}

export type ReadinessCheck = () => Promise<CheckResult>;

declare module 'fastify' {
  interface FastifyInstance {
    /** What `/readyz` asks; features that can make the service unready add a check here. */
    readiness: Readiness;
  }
}

export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /**
   * Runs every check at once, each bounded by `timeoutMs`; a check that throws or hangs is not ok.
   * /readyz is public: a thrown error is logged, and answered only by its code (no host or database
   * names from the driver's message).
   */
  async evaluate(
    timeoutMs = 2_000,
    log?: Pick<FastifyBaseLogger, 'warn'>,
  ): Promise<{ ok: boolean; checks: Record<string, CheckResult> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<CheckResult>((resolve) => {
          timer = setTimeout(
            () => resolve({ ok: false, detail: `no answer in ${timeoutMs} ms` }),
            timeoutMs,
          );
        });
        try {
          const result = await Promise.race([
            check().catch((error: unknown) => {
              log?.warn({ err: error, check: name }, 'readiness check failed');
              const code = (error as { code?: unknown } | null)?.code;
              return {
                ok: false,
                detail: `failed${typeof code === 'string' ? ` (${code})` : ''}: see the service log`,
              };
            }),
            timeout,
          ]);
          return [name, result] as const;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    return { ok: entries.every(([, result]) => result.ok), checks };
  }
}

export const readinessPlugin = fp(
  (app: FastifyInstance) => {
    app.decorate('readiness', new Readiness());
  },
  { name: 'readiness' },
);
