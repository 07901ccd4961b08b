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

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 16), 0x85ebca6b);
    value = Math.imul(value ^ (value >>> 13), 0xc2b2ae35);
    return (value ^ (value >>> 16)) >>> 0;
  };
}

/** Creates a {@link Random} from a 32-bit seed (other numbers are truncated to 32 bits). */
export function createRandom(seed: number): Random {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const nextUint32 = (): number => {
    const result = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + result) >>> 0;
    return result;
  };
  for (let index = 0; index < 12; index++) nextUint32();
  const next = (): number => nextUint32() / 4294967296;
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    float: (min, max) => min + next() * (max - min),
    chance: (probability) => next() < probability,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick() needs a non-empty array');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted: (items, weights) => {
      let total = 0;
      for (const weight of weights) total += weight;
      let roll = next() * total;
      for (let index = 0; index < items.length; index++) {
        roll -= weights[index] ?? 0;
        if (roll < 0) return items[index] as (typeof items)[number];
      }
      return items[items.length - 1] as (typeof items)[number];
    },
    normal: () => {
      const first = 1 - next();
      const second = next();
      return Math.sqrt(-2 * Math.log(first)) * Math.cos(2 * Math.PI * second);
    },
    fork: (salt) => createRandom((nextUint32() ^ Math.imul(salt, 0x27d4eb2d)) >>> 0),
  };
  return random;
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
