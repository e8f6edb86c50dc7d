import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (m=19 MiB, t=2, p=1: OWASP's recommendation). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Verifying against this when the account does not exist makes an unknown email cost the same time as
// a wrong password, so timing does not reveal which emails have accounts.
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$vqCwpraNt9TgDsNObAvRkxsHk+w7AiCx0DSLcDN9e54';

export async function verifyPassword(
  passwordHash: string | null,
  password: string,
): Promise<boolean> {
  try {
    const ok = await verify(passwordHash ?? DUMMY_HASH, password);
    return passwordHash !== null && ok;
  } catch {
    return false;
  }
}

/** Rules for passwords people choose: long enough, not the email. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < 12) return 'must be at least 12 characters';
  if (password.toLowerCase() === email.toLowerCase()) return 'must not be the email address';
  if (new Set(password).size < 5) return 'must not repeat a few characters';
  return null;
}
