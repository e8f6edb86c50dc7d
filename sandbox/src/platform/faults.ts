import { z } from 'zod';
import { servicesOf } from '../packs.ts';

export const SERVICE_NAMES = [
  'user-service',
  'transaction-service',
  'budget-service',
  'pet-service',
  'payment-service',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/**
 * Failure injection, so that reliability tests can exercise the backoffice's timeouts and circuit
 * breakers against a service that errs, is slow, or is down:
 *
 * - error: answer every matching request with `status` (problem+json);
 * - slow: wait `delayMs`, then handle the request normally;
 * - down: close the connection without answering (the client sees ECONNRESET).
 *
 * `/__sandbox/*` (this switch) always answers; `/health` does not escape faults, so health checks see them.
 */
export const FaultSchema = z.object({
  mode: z.enum(['error', 'slow', 'down', 'off']),
  status: z.number().int().min(400).max(599).default(500),
  delayMs: z.number().int().min(0).max(120_000).default(2_000),
  /** Only requests whose path starts with this; all requests when absent. */
  pathPrefix: z.string().startsWith('/').max(200).optional(),
});
export type Fault = z.output<typeof FaultSchema>;
export type FaultState = Fault | { mode: 'off' };

export const FaultStateSchema = z.union([
  FaultSchema.required({ status: true, delayMs: true }),
  z.object({ mode: z.literal('off') }),
]);

export const CONTROL_PREFIX = '/__sandbox/';

export class FaultSwitch {
  private fault: Fault | undefined;

  constructor(initial?: Fault) {
    if (initial !== undefined) this.set(initial);
  }

  get current(): FaultState {
    return this.fault ?? { mode: 'off' };
  }

  set(fault: Fault): void {
    this.fault = fault.mode === 'off' ? undefined : fault;
  }

  clear(): void {
    this.fault = undefined;
  }

  /** The fault that applies to a request for `url`, if any. */
  matching(url: string): Fault | undefined {
    const fault = this.fault;
    if (fault === undefined || url.startsWith(CONTROL_PREFIX)) return undefined;
    if (fault.pathPrefix !== undefined && !url.startsWith(fault.pathPrefix)) return undefined;
    return fault;
  }
}

/**
 * Parses SANDBOX_FAULTS: comma-separated `<service>:<mode>[:<status or delayMs>][@<pathPrefix>]`, e.g.
 * `user-service:error:503,transaction-service:slow:2000,budget-service:down@/v1/budgets`. A service
 * must be one of those `running` (default: the default pack's): a fault for one that does not run
 * would silently do nothing.
 */
export function parseFaults(
  value: string,
  running: readonly ServiceName[] = servicesOf(),
): Partial<Record<ServiceName, Fault>> {
  const faults: Partial<Record<ServiceName, Fault>> = {};
  for (const item of value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')) {
    const [spec = '', pathPrefix] = item.split('@', 2);
    const [service, mode, parameter] = spec.split(':');
    if (!(running as readonly string[]).includes(service ?? '')) {
      throw new Error(`"${item}": the service must be one of ${running.join(', ')}`);
    }
    const number = parameter === undefined ? undefined : Number(parameter);
    const parsed = FaultSchema.safeParse({
      mode,
      pathPrefix,
      ...(mode === 'error' && number !== undefined ? { status: number } : {}),
      ...(mode === 'slow' && number !== undefined ? { delayMs: number } : {}),
    });
    if (!parsed.success) {
      throw new Error(
        `"${item}": ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'} ${i.message}`).join('; ')}`,
      );
    }
    faults[service as ServiceName] = parsed.data;
  }
  return faults;
}
