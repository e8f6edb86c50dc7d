import { signServiceToken, type SigningKey } from '@backoffice/contracts/service-token';
import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
  CircuitState,
  type IPolicy,
} from 'cockatiel';
import type { z } from 'zod';
import {
  BadGatewayError,
  BadRequestError,
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
} from '../http/errors.ts';

/** Who a call is made for: the acting staff member (the token's subject) and the request's correlation id. */
export interface CallContext {
  actorId: string | null;
  actorEmail: string | null;
  correlationId: string | null;
}

export interface UpstreamOptions {
  /** The service's id: its service tokens' audience (`catalogue-service`). */
  audience: string;
  /** Its name in messages (`Catalogue Service`). */
  name: string;
  baseUrl: string;
  signingKey: SigningKey;
  timeoutMs: number;
  retries: number;
  breaker: { failures: number; halfOpenMs: number };
}

interface UpstreamAnswer {
  status: number;
  /** The parsed JSON body; undefined when it was not JSON. */
  payload: unknown;
}

/** A failure worth retrying or counting against the circuit: the service, not the request, is at fault. */
class UpstreamFault extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

/**
 * One platform service, called with a short-lived service JWT (audience: the service; subject: the
 * acting staff member), the correlation id, a timeout, retries for idempotent calls only, and a circuit
 * breaker: after CIRCUIT_BREAKER_FAILURES consecutive failures calls fail at once (503) until a trial
 * call succeeds. Answers map to our errors: the service's 404/409/400 pass through; its failures become
 * 503 (it cannot be reached, timed out, answered 5xx, or the circuit is open) or 502 (it answered
 * something we cannot use: an unexpected document, or a refusal of our token), naming it.
 */
export class UpstreamClient {
  readonly name: string;
  private readonly breaker;
  private readonly once: IPolicy;
  private readonly idempotent: IPolicy;

  constructor(private readonly options: UpstreamOptions) {
    this.name = options.name;
    const faults = handleWhen(
      (error) => error instanceof UpstreamFault || error instanceof TaskCancelledError,
    );
    this.breaker = circuitBreaker(faults, {
      halfOpenAfter: options.breaker.halfOpenMs,
      breaker: new ConsecutiveBreaker(options.breaker.failures),
    });
    const deadline = timeout(options.timeoutMs, TimeoutStrategy.Aggressive);
    this.once = wrap(this.breaker, deadline);
    this.idempotent = wrap(
      retry(faults, {
        maxAttempts: options.retries,
        backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 1_000 }),
      }),
      this.breaker,
      deadline,
    );
  }

  get circuit(): 'closed' | 'open' | 'half-open' | 'isolated' {
    const names: Record<CircuitState, 'closed' | 'open' | 'half-open' | 'isolated'> = {
      [CircuitState.Closed]: 'closed',
      [CircuitState.Open]: 'open',
      [CircuitState.HalfOpen]: 'half-open',
      [CircuitState.Isolated]: 'isolated',
    };
    return names[this.breaker.state];
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  async get<T extends z.ZodType>(
    path: string,
    schema: T,
    context: CallContext,
  ): Promise<z.infer<T>> {
    return this.call('GET', path, undefined, schema, context, true);
  }

  async send<T extends z.ZodType>(
    method: 'POST' | 'PUT' | 'DELETE',
    path: string,
    body: unknown,
    schema: T,
    context: CallContext,
  ): Promise<z.infer<T>> {
    return this.call(method, path, body, schema, context, false);
  }

  private async call<T extends z.ZodType>(
    method: string,
    path: string,
    body: unknown,
    schema: T,
    context: CallContext,
    idempotent: boolean,
  ): Promise<z.infer<T>> {
    let response: UpstreamAnswer;
    try {
      response = await (idempotent ? this.idempotent : this.once).execute(({ signal }) =>
        this.fetch(method, path, body, context, signal),
      );
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new ServiceUnavailableError(
          `The ${this.name} is unavailable (failing repeatedly; calls paused briefly). Nothing was changed.`,
          {
            extensions: { service: this.options.audience },
            cause: error,
          },
        );
      }
      if (error instanceof TaskCancelledError) {
        throw new ServiceUnavailableError(
          `The ${this.name} did not answer within ${this.options.timeoutMs} ms. Nothing was changed.`,
          {
            extensions: { service: this.options.audience },
            cause: error,
          },
        );
      }
      if (error instanceof UpstreamFault) {
        // Unreachable or failing (5xx) is "unavailable"; 502 is kept for answers we cannot use.
        throw new ServiceUnavailableError(`${error.message} Nothing was changed.`, {
          extensions: { service: this.options.audience },
          cause: error,
        });
      }
      throw error;
    }
    const { payload } = response;
    if (response.status >= 400) {
      const detail = (payload as { detail?: unknown } | undefined)?.detail;
      const message = `The ${this.name} answered ${response.status}${typeof detail === 'string' ? `: ${detail}` : ''}`;
      if (response.status === 404) throw new NotFoundError(message);
      if (response.status === 409) throw new ConflictError(message);
      if (response.status === 400 || response.status === 422) throw new BadRequestError(message);
      // 401/403: the service refused our token — a configuration problem, not the caller's.
      throw new BadGatewayError(message, { extensions: { service: this.options.audience } });
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      throw new BadGatewayError(
        `The ${this.name} answered with an unexpected document: ${parsed.error.issues[0]?.message ?? ''}`,
        {
          extensions: { service: this.options.audience },
        },
      );
    }
    return parsed.data;
  }

  /**
   * One attempt. The body is read here, inside the deadline: the timeout policy aborts its signal once
   * the attempt returns, which would cut a body read later.
   */
  private async fetch(
    method: string,
    path: string,
    body: unknown,
    context: CallContext,
    signal: AbortSignal,
  ): Promise<UpstreamAnswer> {
    const token = await signServiceToken(this.options.signingKey, {
      audience: this.options.audience,
      subject: context.actorId ?? 'backoffice',
      ...(context.actorEmail === null ? {} : { actorEmail: context.actorEmail }),
    });
    let response: Response;
    try {
      response = await fetch(new URL(path, this.options.baseUrl), {
        method,
        signal,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(context.correlationId === null ? {} : { 'x-correlation-id': context.correlationId }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new UpstreamFault(
        `The ${this.name} cannot be reached (${(error as Error).message}).`,
        null,
      );
    }
    if (response.status >= 500) {
      await response.body?.cancel().catch(() => undefined);
      throw new UpstreamFault(`The ${this.name} answered ${response.status}.`, response.status);
    }
    const payload: unknown =
      response.status === 204 ? null : await response.json().catch(() => undefined);
    return { status: response.status, payload };
  }
}
