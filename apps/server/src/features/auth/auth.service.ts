import type { AuditAction } from '@backoffice/contracts';
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../../config.ts';
import { AccountsRepository, type StaffAccount } from '../../platform/auth/accounts.repository.ts';
import { BUILTIN_TOKEN_PREFIX, type Authenticator } from '../../platform/auth/authenticator.ts';
import { hashToken, newToken, type SecretBox } from '../../platform/auth/crypto.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../../platform/auth/passwords.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { ExternalIdentityProvider } from '../../platform/auth/providers/provider.ts';
import { SessionsRepository } from '../../platform/auth/sessions.repository.ts';
import { newTotpSecret, totpStep, totpUri } from '../../platform/auth/totp.ts';
import type { AuditContext, AuditInput, AuditWriter } from '../../platform/audit/writer.ts';
import { inTransaction, type Database } from '../../platform/db/database.ts';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
} from '../../platform/http/errors.ts';
import type { ThrottleRepository } from './throttle.repository.ts';

export interface SignedIn {
  token: string;
  principal: Principal;
}

const RECOVERY_CODES = 10;
const REALTIME_TICKET_SECONDS = 30;

/** Recovery codes are 50 random bits, shown as `xxxxx-xxxxx`; stored as SHA-256 (they are not guessable). */
function newRecoveryCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const chars = [...randomBytes(10)].map((b) => alphabet[b % alphabet.length] ?? 'a').join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

const hashRecoveryCode = (code: string) =>
  createHash('sha256')
    .update(
      code
        .trim()
        .toLowerCase()
        .replace(/[^a-z0-9]/g, ''),
    )
    .digest('hex');

/** The sign-in lock of an account: wrong passwords count on it wherever they are tried. */
const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;

const onStaff = (
  principal: Principal,
  action: AuditAction,
  extra: Partial<AuditInput> = {},
): AuditInput => ({
  action,
  resourceType: 'staff',
  resourceId: principal.staffId,
  ...extra,
});

/**
 * Sign-in and everything a signed-in person does to their own account: sessions, password, TOTP
 * (enrol, confirm, step-up, disable, recovery codes) and WebSocket tickets. Each change and its audit
 * entry commit together; failed and refused sign-ins are audited too.
 */
export class AuthService {
  private readonly accounts: AccountsRepository;
  private readonly sessions: SessionsRepository;

  constructor(
    private readonly db: Database,
    private readonly throttle: ThrottleRepository,
    private readonly authenticator: Authenticator,
    private readonly box: SecretBox,
    private readonly audit: AuditWriter,
    private readonly config: Config['auth'],
    private readonly external: ExternalIdentityProvider | undefined,
  ) {
    this.accounts = new AccountsRepository(db);
    this.sessions = new SessionsRepository(db);
  }

  /**
   * Email and password (and a second factor when enrolled). Failures are throttled per account and per
   * client address, and all look alike: "Invalid email or password", whether or not the account exists.
   * Our own accounts always sign in here; with AUTH_PROVIDER=upstream-session anyone else is signed in
   * at the User Service.
   */
  async login(
    input: { email: string; password: string; totp?: string | undefined },
    context: AuditContext,
  ): Promise<SignedIn> {
    const email = input.email.trim().toLowerCase();
    const attempt: AuditContext = { ...context, actor: { type: 'anonymous', id: null, email } };
    const lockKey = accountKey(email);
    const ipKey = `ip:${context.ip ?? 'unknown'}`;
    await this.refuseIfLocked([lockKey, ipKey], attempt);

    const account = await this.accounts.findByEmail(email);
    const builtin = account !== undefined && account.provider === 'builtin';
    if (!builtin && this.external?.login !== undefined) {
      return this.loginUpstream(
        this.external.login.bind(this.external),
        input.password,
        attempt,
        lockKey,
        ipKey,
      );
    }

    const passwordOk = await verifyPassword(builtin ? account.password_hash : null, input.password);
    if (!builtin || !passwordOk || account.status !== 'active') {
      const reason = !builtin
        ? 'no such account'
        : !passwordOk
          ? 'wrong password'
          : 'account disabled';
      await this.failedLogin(attempt, account?.id ?? null, reason, lockKey, ipKey);
      throw new UnauthorizedError('Invalid email or password.');
    }

    let secondFactor = false;
    if (account.totp_enabled_at !== null) {
      if (input.totp === undefined) {
        throw new UnauthorizedError('Enter the code from your authenticator app.', {
          extensions: { mfaRequired: true },
        });
      }
      if (!(await this.checkSecondFactor(account, input.totp))) {
        await this.failedLogin(attempt, account.id, 'invalid second-factor code', lockKey, ipKey);
        throw new UnauthorizedError('The authenticator code is not valid.', {
          extensions: { mfaRequired: true },
        });
      }
      secondFactor = true;
    }

    const token = newToken(BUILTIN_TOKEN_PREFIX);
    await inTransaction(this.db, async (trx) => {
      const session = await new SessionsRepository(trx).create({
        tokenHash: hashToken(token),
        staffId: account.id,
        provider: 'builtin',
        expiresAt: new Date(Date.now() + this.config.sessionAbsoluteHours * 3_600_000),
        mfaVerifiedAt: secondFactor ? new Date() : null,
        ip: context.ip,
        userAgent: context.userAgent,
      });
      await new AccountsRepository(trx).recordLogin(account.id);
      await this.audit.record(
        trx,
        { ...context, actor: { type: 'staff', id: account.id, email: account.email } },
        {
          action: 'auth.login',
          resourceType: 'staff',
          resourceId: account.id,
          metadata: { sessionId: session.id, secondFactor },
        },
      );
    });
    await this.throttle.reset(lockKey);
    return { token, principal: await this.authenticator.authenticate(token, context) };
  }

  private async loginUpstream(
    login: (email: string, password: string) => Promise<string>,
    password: string,
    attempt: AuditContext,
    lockKey: string,
    ipKey: string,
  ): Promise<SignedIn> {
    let token: string;
    try {
      token = await login(attempt.actor.email ?? '', password);
    } catch (error) {
      if (error instanceof UnauthorizedError) {
        await this.failedLogin(attempt, null, 'rejected by the User Service', lockKey, ipKey);
      }
      throw error;
    }
    await this.throttle.reset(lockKey);
    const principal = await this.authenticator.authenticate(token, attempt);
    await inTransaction(this.db, async (trx) => {
      await new AccountsRepository(trx).recordLogin(principal.staffId);
      await this.audit.record(
        trx,
        { ...attempt, actor: { type: 'staff', id: principal.staffId, email: principal.email } },
        onStaff(principal, 'auth.login', {
          metadata: { sessionId: principal.sessionId, provider: principal.provider },
        }),
      );
    });
    return { token, principal };
  }

  async logout(principal: Principal, context: AuditContext): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      await new SessionsRepository(trx).revoke(
        principal.sessionId,
        principal.staffId,
        'signed out',
      );
      await this.audit.record(
        trx,
        context,
        onStaff(principal, 'auth.logout', { metadata: { sessionId: principal.sessionId } }),
      );
    });
  }

  async changePassword(
    principal: Principal,
    context: AuditContext,
    current: string,
    next: string,
  ): Promise<void> {
    const account = await this.requireBuiltinAccount(principal);
    await this.throttledProof(accountKey(account.email), principal, context, {
      action: 'auth.password_changed',
      lockedMessage: 'Too many wrong passwords',
      failure: 'wrong current password',
      check: () => verifyPassword(account.password_hash, current),
      wrong: () => new BadRequestError('The current password is not correct.'),
    });
    const problem = passwordProblem(next, account.email);
    if (problem !== null) {
      throw new ValidationError(`The new password ${problem}.`, [
        { location: 'body', pointer: '/newPassword', message: problem },
      ]);
    }
    const passwordHash = await hashPassword(next);
    await inTransaction(this.db, async (trx) => {
      await new AccountsRepository(trx).setPassword(account.id, passwordHash, false);
      // Anyone holding another session of this account is out: the password was the proof they had.
      const ended = await new SessionsRepository(trx).revokeAllOf(
        account.id,
        account.id,
        'password changed',
        principal.sessionId,
      );
      await this.audit.record(
        trx,
        context,
        onStaff(principal, 'auth.password_changed', {
          before: { mustChangePassword: account.must_change_password },
          after: { mustChangePassword: false },
          metadata: { endedSessions: ended.length },
        }),
      );
    });
  }

  async startTotpEnrolment(
    principal: Principal,
    context: AuditContext,
  ): Promise<{ secret: string; otpauthUri: string }> {
    const account = await this.requireAccount(principal);
    if (account.totp_enabled_at !== null) {
      throw new ConflictError(
        'Two-factor authentication is already on; disable it first to enrol a new device.',
      );
    }
    const secret = newTotpSecret();
    await inTransaction(this.db, async (trx) => {
      await new AccountsRepository(trx).setPendingTotp(account.id, this.box.seal(secret));
      await this.audit.record(trx, context, onStaff(principal, 'auth.mfa_enrolment_started'));
    });
    return { secret, otpauthUri: totpUri(secret, account.email) };
  }

  /** The first code proves the device works; it switches TOTP on and returns the recovery codes, once. */
  async confirmTotpEnrolment(
    principal: Principal,
    context: AuditContext,
    code: string,
  ): Promise<string[]> {
    const account = await this.requireAccount(principal);
    if (account.totp_pending_secret === null) {
      throw new ConflictError('Start the enrolment first (POST /v1/admin/auth/mfa/totp).');
    }
    const secret = this.box.open(account.totp_pending_secret);
    const step = totpStep(secret, code);
    if (step === null)
      throw new BadRequestError(
        'The code does not match: check the device’s clock and try the next one.',
      );
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    await inTransaction(this.db, async (trx) => {
      await new AccountsRepository(trx).enableTotp(
        account.id,
        this.box.seal(secret),
        step,
        codes.map(hashRecoveryCode),
      );
      await new SessionsRepository(trx).markMfaVerified(principal.sessionId, new Date());
      await this.audit.record(
        trx,
        context,
        onStaff(principal, 'auth.mfa_enabled', {
          before: { mfaEnrolled: false },
          after: { mfaEnrolled: true },
        }),
      );
    });
    return codes;
  }

  /** Step-up: proves the second factor now, for actions that need it recently. */
  async verifySecondFactor(
    principal: Principal,
    context: AuditContext,
    code: string,
  ): Promise<Date> {
    const account = await this.requireEnrolled(principal);
    await this.checkThrottledCode(account, principal, context, code, 'auth.mfa_verified');
    const now = new Date();
    await inTransaction(this.db, async (trx) => {
      await new SessionsRepository(trx).markMfaVerified(principal.sessionId, now);
      await this.audit.record(
        trx,
        context,
        onStaff(principal, 'auth.mfa_verified', { metadata: { sessionId: principal.sessionId } }),
      );
    });
    return now;
  }

  async disableTotp(principal: Principal, context: AuditContext, code: string): Promise<void> {
    const account = await this.requireEnrolled(principal);
    await this.checkThrottledCode(account, principal, context, code, 'auth.mfa_disabled');
    await inTransaction(this.db, async (trx) => {
      await new AccountsRepository(trx).disableTotp(account.id);
      await this.audit.record(
        trx,
        context,
        onStaff(principal, 'auth.mfa_disabled', {
          before: { mfaEnrolled: true },
          after: { mfaEnrolled: false },
        }),
      );
    });
  }

  async regenerateRecoveryCodes(
    principal: Principal,
    context: AuditContext,
    code: string,
  ): Promise<string[]> {
    const account = await this.requireEnrolled(principal);
    await this.checkThrottledCode(
      account,
      principal,
      context,
      code,
      'auth.recovery_codes_regenerated',
    );
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    await inTransaction(this.db, async (trx) => {
      await new AccountsRepository(trx).replaceRecoveryCodes(
        account.id,
        codes.map(hashRecoveryCode),
      );
      await this.audit.record(trx, context, onStaff(principal, 'auth.recovery_codes_regenerated'));
    });
    return codes;
  }

  listOwnSessions(principal: Principal) {
    return this.sessions.listLive(principal.staffId);
  }

  async revokeOwnSession(
    principal: Principal,
    context: AuditContext,
    sessionId: string,
  ): Promise<void> {
    const session = await this.sessions.findById(sessionId);
    if (
      session === undefined ||
      session.staff_id !== principal.staffId ||
      session.revoked_at !== null
    ) {
      throw new NotFoundError('No such session of yours.');
    }
    await inTransaction(this.db, async (trx) => {
      await new SessionsRepository(trx).revoke(
        sessionId,
        principal.staffId,
        'revoked by its owner',
      );
      await this.audit.record(
        trx,
        context,
        onStaff(principal, 'auth.session_revoked', { metadata: { sessionId } }),
      );
    });
  }

  /**
   * A single-use, 30-second ticket that opens the WebSocket for this session (tokens stay out of URLs).
   * Not audited: it changes no data and is taken at every page load; the socket it opens is logged.
   */
  async issueRealtimeTicket(principal: Principal): Promise<{ ticket: string; expiresAt: Date }> {
    const ticket = newToken('wst');
    const expiresAt = new Date(Date.now() + REALTIME_TICKET_SECONDS * 1000);
    await this.db
      .insertInto('realtime_tickets')
      .values({
        ticket_hash: hashToken(ticket),
        session_id: principal.sessionId,
        expires_at: expiresAt,
      })
      .execute();
    return { ticket, expiresAt };
  }

  private async refuseIfLocked(keys: string[], attempt: AuditContext): Promise<void> {
    const seconds = await this.throttle.lockedFor(keys);
    if (seconds > 0) {
      await this.audit.record(this.db, attempt, {
        action: 'auth.login',
        resourceType: 'staff',
        outcome: 'denied',
        reason: `locked for ${seconds} s after repeated failures`,
      });
      throw new TooManyRequestsError(
        `Too many failed sign-in attempts. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
        seconds,
      );
    }
  }

  private async failedLogin(
    attempt: AuditContext,
    staffId: string | null,
    reason: string,
    lockKey: string,
    ipKey: string,
  ): Promise<void> {
    const { throttle } = this.config;
    const common = { baseSeconds: throttle.lockBaseSeconds, maxSeconds: throttle.lockMaxSeconds };
    await this.throttle.fail(lockKey, { threshold: throttle.maxFailures, ...common });
    await this.throttle.fail(ipKey, { threshold: throttle.ipMaxFailures, ...common });
    await this.audit.record(this.db, attempt, {
      action: 'auth.login',
      resourceType: 'staff',
      resourceId: staffId,
      outcome: 'failed',
      reason,
    });
  }

  /** A TOTP code (each time step once) or an unused recovery code. */
  private async checkSecondFactor(account: StaffAccount, code: string): Promise<boolean> {
    if (account.totp_secret === null) return false;
    if (/^\d{6}$/.test(code.trim())) {
      const step = totpStep(this.box.open(account.totp_secret), code.trim());
      return step !== null && (await this.accounts.useTotpStep(account.id, step));
    }
    return this.accounts.useRecoveryCode(account.id, hashRecoveryCode(code));
  }

  /** Six digits can be guessed: step-up and disable attempts are throttled like sign-ins. */
  private checkThrottledCode(
    account: StaffAccount,
    principal: Principal,
    context: AuditContext,
    code: string,
    action: AuditAction,
  ): Promise<void> {
    return this.throttledProof(`mfa:${account.id}`, principal, context, {
      action,
      lockedMessage: 'Too many wrong codes',
      failure: 'invalid code',
      check: () => this.checkSecondFactor(account, code),
      wrong: () =>
        new BadRequestError('The authenticator code is not valid (or was already used).'),
    });
  }

  /**
   * A secret proved from inside a session (a code, the current password) is throttled like a sign-in
   * on `key`: refused while locked (429), each failure counted and audited, a success resetting it.
   */
  private async throttledProof(
    key: string,
    principal: Principal,
    context: AuditContext,
    proof: {
      action: AuditAction;
      lockedMessage: string;
      failure: string;
      check: () => Promise<boolean>;
      wrong: () => Error;
    },
  ): Promise<void> {
    const seconds = await this.throttle.lockedFor([key]);
    if (seconds > 0) {
      await this.audit.record(
        this.db,
        context,
        onStaff(principal, proof.action, { outcome: 'denied', reason: `locked for ${seconds} s` }),
      );
      throw new TooManyRequestsError(
        `${proof.lockedMessage}. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
        seconds,
      );
    }
    if (!(await proof.check())) {
      const { throttle } = this.config;
      await this.throttle.fail(key, {
        threshold: throttle.maxFailures,
        baseSeconds: throttle.lockBaseSeconds,
        maxSeconds: throttle.lockMaxSeconds,
      });
      await this.audit.record(
        this.db,
        context,
        onStaff(principal, proof.action, { outcome: 'failed', reason: proof.failure }),
      );
      throw proof.wrong();
    }
    await this.throttle.reset(key);
  }

  private async requireAccount(principal: Principal): Promise<StaffAccount> {
    const account = await this.accounts.findById(principal.staffId);
    if (account === undefined) throw new UnauthorizedError('The account no longer exists.');
    return account;
  }

  private async requireBuiltinAccount(principal: Principal): Promise<StaffAccount> {
    const account = await this.requireAccount(principal);
    if (account.provider !== 'builtin') {
      throw new ForbiddenError(
        `Your password is managed by your identity provider (${account.provider}).`,
      );
    }
    return account;
  }

  private async requireEnrolled(principal: Principal): Promise<StaffAccount> {
    const account = await this.requireAccount(principal);
    if (account.totp_enabled_at === null)
      throw new ConflictError('Two-factor authentication is not on.');
    return account;
  }
}
