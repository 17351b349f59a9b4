import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { SlidingWindowThrottlerStorage } from '../src/rate-limit-storage';

describe('rate limits: a sliding-window counter per client', () => {
  const storage = new SlidingWindowThrottlerStorage();
  after(() => storage.close());
  const hit = (key: string, at: number, limit = 4) => storage.increment(key, 60_000, limit, 60_000, 'default', at);

  test('the limit is let through, the next is blocked for the block duration, then counting starts again', async () => {
    for (let i = 0; i < 4; i += 1) assert.equal((await hit('a', 1_000 + i)).isBlocked, false);
    const blocked = await hit('a', 2_000);
    assert.equal(blocked.isBlocked, true);
    assert.equal(blocked.timeToBlockExpire, 60);
    assert.equal((await hit('a', 30_000)).isBlocked, true, 'still blocked half-way');
    assert.equal((await hit('a', 62_001)).isBlocked, false, 'counted from zero once the block ends');
    assert.equal((await hit('b', 2_000)).isBlocked, false, 'another client has its own count');
  });

  test("the last window's hits count for the part of it still inside the last minute", async () => {
    for (let i = 0; i < 4; i += 1) await hit('c', 59_000 + i); // 4 hits at the end of the window [0, 60 s)
    assert.equal((await hit('c', 61_000)).isBlocked, true, '4 hits within the last two seconds');
    for (let i = 0; i < 4; i += 1) await hit('d', 1_000 + i); // 4 hits at the start of the window
    const nearlyAMinuteOn = await hit('d', 119_000);
    assert.equal(nearlyAMinuteOn.isBlocked, false, 'the hits of a minute and more ago weigh almost nothing');
  });

  test('a million hits a minute under a limit of two million: none blocked, nothing thrown', async () => {
    let blocked = 0;
    for (let i = 0; i < 1_000_000; i += 1) if ((await hit('e', 1_000 + (i % 50_000), 2_000_000)).isBlocked) blocked++;
    assert.equal(blocked, 0);
  });
});
