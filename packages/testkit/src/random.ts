/**
 * A small seeded pseudo-random generator (sfc32, seeded through splitmix32), so that a seed
 * always produces the same sequence on every platform and Node version.
 */
export interface Random {
  /** The next float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** A float in [min, max). */
  float(min: number, max: number): number;
  /** True with probability `probability`. */
  chance(probability: number): boolean;
  /** One element of a non-empty array. */
  pick<Item>(items: readonly Item[]): Item;
  /** One element chosen with the given relative weights (same length as `items`). */
  weighted<Item>(items: readonly Item[], weights: readonly number[]): Item;
  /** A standard normal variate (Box-Muller). */
  normal(): number;
  /** A new independent generator derived from this one and `salt`. */
  fork(salt: number): Random;
}

/**
 * sfc32 with prototype methods, cheap to create (generators are made per message when text is
 * derived on demand). The state is kept as int32 (small integers in V8, no allocation per step);
 * the bits, and so the sequences, are those of the classic uint32 formulation.
 */
class Sfc32 implements Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    let state = seed >>> 0;
    const mix = (): number => {
      state = (state + 0x9e3779b9) | 0;
      let value = Math.imul(state ^ (state >>> 16), 0x85ebca6b);
      value = Math.imul(value ^ (value >>> 13), 0xc2b2ae35);
      return value ^ (value >>> 16);
    };
    let a = mix();
    let b = mix();
    let c = mix();
    let d = mix();
    for (let index = 0; index < 12; index++) {
      const result = (a + b + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + result) | 0;
    }
    this.#a = a;
    this.#b = b;
    this.#c = c;
    this.#d = d;
  }

  #nextUint32(): number {
    const a = this.#a;
    const b = this.#b;
    const c = this.#c;
    const d = this.#d;
    const result = (a + b + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    this.#c = (((c << 21) | (c >>> 11)) + result) | 0;
    return result >>> 0;
  }

  next(): number {
    return this.#nextUint32() / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<Item>(items: readonly Item[]): Item {
    if (items.length === 0) throw new RangeError('pick() needs a non-empty array');
    return items[Math.floor(this.next() * items.length)] as Item;
  }

  weighted<Item>(items: readonly Item[], weights: readonly number[]): Item {
    let total = 0;
    for (const weight of weights) total += weight;
    let roll = this.next() * total;
    for (let index = 0; index < items.length; index++) {
      roll -= weights[index] ?? 0;
      if (roll < 0) return items[index] as Item;
    }
    return items[items.length - 1] as Item;
  }

  normal(): number {
    const first = 1 - this.next();
    const second = this.next();
    return Math.sqrt(-2 * Math.log(first)) * Math.cos(2 * Math.PI * second);
  }

  fork(salt: number): Random {
    return new Sfc32((this.#nextUint32() ^ Math.imul(salt, 0x27d4eb2d)) >>> 0);
  }
}

/** Creates a {@link Random} from a 32-bit seed (other numbers are truncated to 32 bits). */
export function createRandom(seed: number): Random {
  return new Sfc32(seed);
}

/** A stable 32-bit hash of a string (FNV-1a), for deriving seeds from names. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
