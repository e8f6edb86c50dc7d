import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const src = path.resolve(here, '..');

/** The platform's own sources (its tests drive it with a pack's events, so they may name its words). */
function platformSources(): string[] {
  return readdirSync(here, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => path.join(here, name));
}

/**
 * The words of the product domains the backoffice serves (Money Planner, Virtual Pet, those to come).
 * "transaction" alone is the database's word (inTransaction, a Kysely Transaction) and stays allowed;
 * its plural is the domain's.
 */
const DOMAIN_WORDS = new Set([
  'user',
  'users',
  'customer',
  'customers',
  'transactions',
  'budget',
  'budgets',
  'category',
  'categories',
  'pet',
  'pets',
  'payment',
  'payments',
]);

/** Pairs of words that are not about the domain: an HTTP header, our own staff accounts' table. */
const ALLOWED_PAIRS = new Set(['user agent', 'staff users', 'staff user']);

/** The words of a source text: identifiers split at camelCase, snake_case, dots and dashes. */
function words(text: string): string[] {
  return (text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').match(/[A-Za-z]+/g) ?? []).map((word) =>
    word.toLowerCase(),
  );
}

export function domainWordsIn(text: string): string[] {
  const list = words(text);
  return list.filter((word, index) => {
    if (!DOMAIN_WORDS.has(word)) return false;
    const before = `${list[index - 1] ?? ''} ${word}`;
    const after = `${word} ${list[index + 1] ?? ''}`;
    return !ALLOWED_PAIRS.has(before) && !ALLOWED_PAIRS.has(after);
  });
}

describe('the platform layer', () => {
  it('imports nothing from a feature or a pack', () => {
    const offenders = platformSources().filter((file) =>
      /from '(\.\.\/)+(features|packs)\//.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((file) => path.relative(src, file))).toEqual([]);
  });

  it('holds no domain word: users, transactions, budgets, pets, payments belong to packs', () => {
    const offenders = platformSources().flatMap((file) => {
      const found = readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) =>
          domainWordsIn(line).length > 0 ? [`${index + 1}: ${line.trim()}`] : [],
        );
      return found.map((line) => `${path.relative(src, file)}:${line}`);
    });
    expect(offenders).toEqual([]);
  });

  it('finds the words it looks for (the check itself)', () => {
    expect(domainWordsIn('const userServiceUrl = 1; // a payment')).toEqual(['user', 'payment']);
    expect(domainWordsIn('total_budgets, PetService')).toEqual(['budgets', 'pet']);
    expect(domainWordsIn('request.headers["user-agent"]; userAgent; staff_users')).toEqual([]);
    expect(domainWordsIn('inTransaction(db, (trx: Transaction<DB>) => …)')).toEqual([]);
  });
});
