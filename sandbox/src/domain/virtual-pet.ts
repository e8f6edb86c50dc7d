import type { PaymentMethod, PetSpecies } from '../db/schema.ts';

/**
 * The Virtual Pet game's world (seed 001), shared by the generated history and the live traffic: pet
 * names and species, the shop's in-game items and their price points, and how payments end.
 */

/** Items and values picked by weight: `[value, weight]`. */
export type Weighted<T> = readonly (readonly [T, number])[];

/** The item whose cumulative weight `r` (uniform in [0, 1)) falls in. */
export function pickWeighted<T>(items: Weighted<T>, r: number): T {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  let x = r * total;
  for (const [item, weight] of items) {
    x -= weight;
    if (x < 0) return item;
  }
  return (items.at(-1) as readonly [T, number])[0];
}

export const PET_NAMES = [
  'Biscuit',
  'Mochi',
  'Pickle',
  'Ember',
  'Pebble',
  'Noodle',
  'Waffles',
  'Luna',
  'Ziggy',
  'Pumpkin',
  'Sprout',
  'Nimbus',
  'Clover',
  'Tofu',
  'Gizmo',
  'Maple',
  'Bramble',
  'Comet',
  'Fern',
  'Pippin',
  'Sushi',
  'Hazel',
  'Rocket',
  'Juniper',
];

export const SPECIES_SHARES: Weighted<PetSpecies> = [
  ['CAT', 24],
  ['DOG', 24],
  ['BUNNY', 14],
  ['FOX', 10],
  ['DRAGON', 12],
  ['OWL', 8],
  ['TURTLE', 8],
];

/** Adopted from the shelter rather than created by the owner. */
export const ADOPTED_SHARE = 0.25;

/** The shop: in-game items and their price in cents (the same figure in each currency). */
export const SHOP_ITEMS: Weighted<{ description: string; cents: number }> = [
  [{ description: 'Coins ×100', cents: 99 }, 22],
  [{ description: 'Premium food bundle', cents: 199 }, 20],
  [{ description: 'Toy box', cents: 299 }, 16],
  [{ description: 'Gem pack ×500', cents: 499 }, 14],
  [{ description: 'Pet house upgrade', cents: 999 }, 10],
  [{ description: 'Season pass', cents: 1499 }, 8],
  [{ description: 'Dragon egg', cents: 1999 }, 6],
  [{ description: 'Gem vault ×5000', cents: 4999 }, 4],
];

export const CURRENCY_SHARES: Weighted<string> = [
  ['EUR', 50],
  ['USD', 35],
  ['GBP', 15],
];

export const METHOD_SHARES: Weighted<PaymentMethod> = [
  ['CARD', 45],
  ['PAYPAL', 20],
  ['APPLE_PAY', 15],
  ['GOOGLE_PAY', 15],
  ['BANK_TRANSFER', 5],
];

export const FAILURE_REASONS: Weighted<string> = [
  ['card_declined', 40],
  ['insufficient_funds', 30],
  ['expired_card', 10],
  ['authentication_failed', 12],
  ['processing_error', 8],
];

export const REFUND_REASONS = ['requested_by_customer', 'accidental_purchase', 'duplicate'];

/** How a payment ends at the payment provider. */
export type Settlement = { status: 'SUCCEEDED' } | { status: 'FAILED'; failureReason: string };

/** About 9 payments in 10 go through; the others fail for one of the usual reasons. */
export const SUCCESS_SHARE = 0.9;

/** A payment provider's answer, from two uniform draws in [0, 1). */
export function settlementOf(outcome: number, reason: number): Settlement {
  return outcome < SUCCESS_SHARE
    ? { status: 'SUCCEEDED' }
    : { status: 'FAILED', failureReason: pickWeighted(FAILURE_REASONS, reason) };
}

export interface PetStats {
  level: number;
  health: number;
  happiness: number;
}

/**
 * An owner's visit. Since the last one the pet got hungrier and bored (health and happiness down by
 * 5–25); the owner trains it (15%: a level, below 100) or else feeds it or plays with it, whichever it
 * needs more (up 20–60). Something always changes. `random` gives uniform values in [0, 1).
 */
export function visit(pet: PetStats, random: () => number): PetStats {
  const upTo = (n: number) => Math.floor(random() * n);
  let health = Math.max(0, pet.health - 5 - upTo(21));
  let happiness = Math.max(0, pet.happiness - 5 - upTo(21));
  let level = pet.level;
  if (random() < 0.15 && level < 100) level++;
  else if (health <= happiness) health = Math.min(100, health + 20 + upTo(41));
  else happiness = Math.min(100, happiness + 20 + upTo(41));
  return { level, health, happiness };
}
