import { describe, expect, it } from 'vitest';
import { RequestSlots } from './scheduler.js';

describe('RequestSlots', () => {
  it('lets `size` callers through, then gives each freed slot to the highest priority', async () => {
    const slots = new RequestSlots(2);
    await slots.acquire(1);
    await slots.acquire(1);
    const order: string[] = [];
    const waiting = [
      slots.acquire(5).then(() => order.push('five')),
      slots.acquire(Number.POSITIVE_INFINITY).then(() => order.push('unknown')),
      slots.acquire(9).then(() => order.push('nine')),
      slots.acquire(5).then(() => order.push('five again')),
    ];
    for (let index = 0; index < 4; index += 1) {
      slots.release();
      await Promise.resolve();
      await Promise.resolve();
    }
    await Promise.all(waiting);
    expect(order).toEqual(['unknown', 'nine', 'five', 'five again']);
  });

  it('frees a slot when nobody waits, and lets everyone through once closed', async () => {
    const slots = new RequestSlots(1);
    await slots.acquire(1);
    slots.release();
    await slots.acquire(1);
    const waiter = slots.acquire(3);
    slots.close();
    await waiter;
    await slots.acquire(1);
  });
});
