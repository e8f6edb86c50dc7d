import type { AuditContext } from '../../platform/audit/writer.ts';
import { BadGatewayError, ServiceUnavailableError } from '../../platform/http/errors.ts';
import type { Upstreams } from '../../platform/upstream/plugin.ts';
import { UpstreamTransactionSchema } from './transactions.upstream.ts';
import { toTransactionItem } from '../users/users.service.ts';
import type { TransactionsRepository } from './transactions.repository.ts';

/**
 * Transactions: a user's list comes from the read model (fast, paged); a single transaction is asked of
 * the Transaction Service (authoritative), and when that service cannot answer, the read model's copy
 * is returned marked stale rather than nothing.
 */
export class TransactionsService {
  constructor(
    private readonly transactions: TransactionsRepository,
    private readonly upstream: Upstreams,
  ) {}

  async forUser(
    userId: string,
    range: { from?: string | undefined; to?: string | undefined },
    page: number,
    limit: number,
  ) {
    const { rows, total } = await this.transactions.forUser(userId, range, page, limit);
    return { data: rows.map(toTransactionItem), page, limit, total };
  }

  async get(context: AuditContext, id: string) {
    try {
      const tx = await this.upstream
        .client('transaction-service')
        .get(`/v1/transactions/${id}`, UpstreamTransactionSchema, {
          actorId: context.actor.id,
          actorEmail: context.actor.email,
          correlationId: context.correlationId,
        });
      const local = await this.transactions.find(id);
      return {
        id: tx.id,
        userId: tx.user_id,
        amount: tx.amount,
        description: tx.description ?? null,
        transactionType: tx.transaction_type,
        categoryId: tx.category_id ?? null,
        categoryName: tx.category_name ?? null,
        date: new Date(tx.date).toISOString(),
        createdAt: new Date(tx.created_at ?? local?.created_at ?? tx.date).toISOString(),
        updatedAt: new Date(tx.updated_at ?? local?.updated_at ?? tx.date).toISOString(),
        source: 'transaction-service' as const,
        stale: false,
        reviewedAt: tx.reviewed_at ?? null,
        reviewedBy: tx.reviewed_by ?? null,
      };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableError || error instanceof BadGatewayError))
        throw error;
      const local = await this.transactions.find(id);
      if (local === undefined) throw error;
      return {
        ...toTransactionItem(local),
        source: 'read-model' as const,
        stale: true,
        reviewedAt: null,
        reviewedBy: null,
      };
    }
  }
}
