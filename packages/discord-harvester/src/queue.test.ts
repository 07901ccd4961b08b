import { describe, expect, it } from 'vitest';
import { HandOffQueue, QueueClosedError } from './queue.js';

describe('HandOffQueue', () => {
  it('resolves a push only when the consumer is done with the item', async () => {
    const queue = new HandOffQueue<number>();
    let pushed = false;
    const push = queue.push(1).then(() => {
      pushed = true;
    });
    const taken = await queue.take();
    expect(taken?.item).toBe(1);
    await Promise.resolve();
    expect(pushed).toBe(false);
    taken?.done();
    await push;
    expect(pushed).toBe(true);
  });

  it('hands items over in order, then ends when closed', async () => {
    const queue = new HandOffQueue<string>();
    const pushes = [queue.push('a'), queue.push('b')];
    const first = await queue.take();
    first?.done();
    const second = await queue.take();
    second?.done();
    await Promise.all(pushes);
    const end = queue.take();
    queue.close();
    expect([first?.item, second?.item, await end]).toEqual(['a', 'b', undefined]);
  });

  it('delivers queued items before a failure, unless the failure is immediate', async () => {
    const queue = new HandOffQueue<number>();
    const push = queue.push(1);
    queue.fail(new Error('boom'), false);
    const taken = await queue.take();
    taken?.done();
    await push;
    await expect(queue.take()).rejects.toThrow('boom');

    const other = new HandOffQueue<number>();
    const dropped = other.push(1);
    other.fail(new Error('stop'), true);
    await expect(dropped).rejects.toBeInstanceOf(QueueClosedError);
    await expect(other.take()).rejects.toThrow('stop');
  });

  it('cancel rejects waiting pushes and items taken but not done', async () => {
    const queue = new HandOffQueue<number>();
    const first = queue.push(1);
    const second = queue.push(2);
    await queue.take();
    queue.cancel();
    await expect(first).rejects.toBeInstanceOf(QueueClosedError);
    await expect(second).rejects.toBeInstanceOf(QueueClosedError);
    await expect(queue.push(3)).rejects.toBeInstanceOf(QueueClosedError);
    expect(await queue.take()).toBeUndefined();
  });
});
