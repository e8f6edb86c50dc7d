/**
 * Deterministic randomness for the generator. Two kinds:
 *
 * - a sequential generator (sfc32) for the day-by-day simulation, consumed in one fixed order;
 * - stateless hashes of (seed, purpose, index) for per-entity traits (a user's name, role, budgets…), so
 *   any trait can be recomputed when needed instead of being kept in memory for a million users.
 *
 * No Math.random and no clock: the same seed always gives the same output.
 */

/** MurmurHash3's finaliser: a bijection on 32-bit integers with good avalanche. */
export function fmix32(input: number): number {
  let h = input >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const TWO_POW_32 = 4_294_967_296;

export class Sfc32 {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = fmix32(seed ^ 0x9e3779b9);
    this.b = fmix32(seed + 0x243f6a88);
    this.c = fmix32(seed ^ 0xb7e15162);
    this.d = 1;
    for (let i = 0; i < 16; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }
}

/** Stateless uniform values in [0, 1) for (purpose, index), under one seed. */
export class Traits {
  private readonly salts: number[] = [];

  constructor(private readonly seed: number) {}

  private salt(purpose: number): number {
    let salt = this.salts[purpose];
    if (salt === undefined) {
      salt = fmix32(fmix32(this.seed) + Math.imul(purpose + 1, 0x9e3779b1));
      this.salts[purpose] = salt;
    }
    return salt;
  }

  unit(purpose: number, index: number): number {
    const salt = this.salt(purpose);
    return fmix32(fmix32(index ^ salt) + salt) / TWO_POW_32;
  }

  pick<T>(items: readonly T[], purpose: number, index: number): T {
    return items[Math.floor(this.unit(purpose, index) * items.length)] as T;
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(word: number): string {
  return (
    (HEX[(word >>> 24) & 0xff] as string) +
    (HEX[(word >>> 16) & 0xff] as string) +
    (HEX[(word >>> 8) & 0xff] as string) +
    (HEX[word & 0xff] as string)
  );
}

/**
 * Version-4-shaped UUIDs derived from (seed, kind, index). The first 32 bits are a bijection of the index
 * (fmix32 is invertible), so ids of one kind never collide; the rest depends on the kind as well.
 */
export class UuidFactory {
  private readonly s1: number;
  private readonly s2: number;
  private readonly s3: number;

  constructor(seed: number, kind: number) {
    this.s1 = fmix32(fmix32(seed) ^ Math.imul(kind + 1, 0x27d4eb2d));
    this.s2 = fmix32(this.s1 + 0x165667b1);
    this.s3 = fmix32(this.s2 ^ 0xd3a2646c);
  }

  make(index: number): string {
    const w0 = fmix32(index ^ this.s1);
    const w1 = fmix32(w0 ^ this.s2);
    const w2 = fmix32(w1 + this.s3);
    const w3 = fmix32(w2 ^ this.s1);
    const version = ((w1 & 0xffff0fff) | 0x4000) >>> 0;
    const variant = ((w2 & 0x3fffffff) | 0x80000000) >>> 0;
    const v = hex32(version);
    const r = hex32(variant);
    return `${hex32(w0)}-${v.slice(0, 4)}-${v.slice(4)}-${r.slice(0, 4)}-${r.slice(4)}${hex32(w3)}`;
  }
}
