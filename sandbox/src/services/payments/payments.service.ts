import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { settlementOf, type Settlement } from '../../domain/virtual-pet.ts';
import { newEvent } from '../../outbox/events.ts';
import { appendToOutbox } from '../../outbox/outbox.repository.ts';
import type { ActionContext } from '../../platform/context.ts';
import { decodeCursor, pageOf } from '../../platform/cursor.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { CursorPage } from '../../platform/schemas.ts';
import { isForeignKeyViolation } from '../../platform/sql.ts';
import { PaymentsRepository, type PaymentRow } from './payments.repository.ts';
import {
  toPaymentResource,
  type InitiatePaymentInput,
  type PaymentListRequest,
  type PaymentResource,
} from './payments.schemas.ts';

/** How long the payment provider takes to answer: a payment settles at the first sweep after it. */
export const PROCESSING_MS = 2_000;
const SETTLE_BATCH = 200;

/**
 * The Payment Service (Virtual Pet, seed 001): in-game purchases. A payment is INITIATED, then the
 * payment provider's answer settles it — SUCCEEDED, or FAILED with a reason (card_declined,
 * insufficient_funds…) — and a succeeded one may be REFUNDED. The provider is simulated: `settlement`
 * draws its answers (about 9 in 10 succeed). Every change and its event are written in one transaction.
 */
export class PaymentsService {
  private readonly settlement: () => Settlement;

  constructor(
    private readonly db: Kysely<DB>,
    options: { settlement?: () => Settlement } = {},
  ) {
    this.settlement = options.settlement ?? (() => settlementOf(Math.random(), Math.random()));
  }

  async get(id: string): Promise<PaymentResource> {
    return toPaymentResource(this.found(await new PaymentsRepository(this.db).findById(id), id));
  }

  async list(query: PaymentListRequest): Promise<CursorPage<PaymentResource>> {
    const rows = await new PaymentsRepository(this.db).list({
      userId: query.user_id,
      status: query.status,
      from: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit: query.limit + 1,
    });
    return pageOf(rows, query.limit, toPaymentResource);
  }

  /** A new payment, waiting for the provider's answer (payment.initiated). */
  async initiate(input: InitiatePaymentInput, context: ActionContext): Promise<PaymentResource> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const now = new Date();
        const payment = toPaymentResource(
          await new PaymentsRepository(trx).insert({
            id: randomUUID(),
            user_id: input.user_id,
            amount: input.amount,
            currency: input.currency,
            method: input.method,
            status: 'INITIATED',
            description: input.description ?? null,
            created_at: now,
            updated_at: now,
          }),
        );
        await appendToOutbox(trx, [
          newEvent('payment.initiated', { payment }, context.correlationId, now),
        ]);
        return payment;
      });
    } catch (error) {
      throw isForeignKeyViolation(error) ? new BadRequestError(`No user ${input.user_id}`) : error;
    }
  }

  /** The provider's answer for one initiated payment (payment.succeeded or payment.failed). */
  async settle(
    id: string,
    settlement: Settlement,
    context: ActionContext,
  ): Promise<PaymentResource> {
    return this.db.transaction().execute(async (trx) => {
      const current = this.found(await new PaymentsRepository(trx).lockForUpdate(id), id);
      if (current.status !== 'INITIATED') {
        throw new ConflictError(`The payment ${id} is already ${current.status}`);
      }
      return this.apply(trx, current, settlement, context);
    });
  }

  /**
   * Settles the payments initiated at least PROCESSING_MS before `now`, with the provider's answers;
   * returns how many. The sweep calls it: payments settle a little after they are initiated.
   */
  async settleDue(context: ActionContext, now: Date = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const settled = await this.db.transaction().execute(async (trx) => {
        const due = await new PaymentsRepository(trx).lockAwaitingSettlement(
          new Date(now.getTime() - PROCESSING_MS),
          SETTLE_BATCH,
        );
        for (const payment of due) await this.apply(trx, payment, this.settlement(), context);
        return due.length;
      });
      total += settled;
      if (settled < SETTLE_BATCH) return total;
    }
  }

  /**
   * Refunds a succeeded payment in full (payment.refunded). Idempotent: refunding a refunded payment
   * changes nothing and says so (`changed: false`); one that did not succeed cannot be refunded (409).
   */
  async refund(
    id: string,
    reason: string | undefined,
    context: ActionContext,
  ): Promise<{ payment: PaymentResource; changed: boolean }> {
    return this.db.transaction().execute(async (trx) => {
      const payments = new PaymentsRepository(trx);
      const current = this.found(await payments.lockForUpdate(id), id);
      if (current.status === 'REFUNDED') {
        return { payment: toPaymentResource(current), changed: false };
      }
      if (current.status !== 'SUCCEEDED') {
        throw new ConflictError(
          `Only a succeeded payment can be refunded; the payment ${id} is ${current.status}`,
        );
      }
      const now = new Date();
      const payment = toPaymentResource(
        await payments.update(id, { status: 'REFUNDED', updated_at: now }),
      );
      await appendToOutbox(trx, [
        newEvent(
          'payment.refunded',
          { payment, refunded_amount: payment.amount, reason: reason ?? null },
          context.correlationId,
          now,
        ),
      ]);
      return { payment, changed: true };
    });
  }

  private async apply(
    trx: Kysely<DB>,
    current: PaymentRow,
    settlement: Settlement,
    context: ActionContext,
  ): Promise<PaymentResource> {
    const now = new Date();
    const payment = toPaymentResource(
      await new PaymentsRepository(trx).update(current.id, {
        status: settlement.status,
        failure_reason: settlement.status === 'FAILED' ? settlement.failureReason : null,
        updated_at: now,
      }),
    );
    await appendToOutbox(trx, [
      newEvent(
        settlement.status === 'SUCCEEDED' ? 'payment.succeeded' : 'payment.failed',
        { payment },
        context.correlationId,
        now,
      ),
    ]);
    return payment;
  }

  private found(row: PaymentRow | undefined, id: string): PaymentRow {
    if (row === undefined) throw new NotFoundError(`No payment ${id}`);
    return row;
  }
}
