import type { ThrottlerStorage } from '@nestjs/throttler';

/** A client's count in the current window and the one before it, and when a block on it ends. */
interface ClientWindow {
  start: number;
  current: number;
  previous: number;
  blockedUntil: number;
}

/**
 * Rate limits in constant time and memory per client: a sliding-window counter (this window's hits plus the last
 * window's, weighted by how much of it still overlaps the last `ttl`), in place of @nestjs/throttler's in-memory
 * store, which keeps every hit's expiry and filters and spreads that list on every request — O(hits a minute), so
 * at a high RATE_LIMIT_PER_MINUTE the limiter was what a busy client waited on, and past ~100k hits a minute
 * `Math.min(...hits)` throws. Over the limit a client is blocked for `blockDuration`, then counted from zero.
 */
export class SlidingWindowThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, ClientWindow>();
  private readonly sweeper: NodeJS.Timeout;
  private longestTtl = 0;

  constructor(sweepEveryMs = 60_000) {
    this.sweeper = setInterval(() => this.sweep(Date.now()), sweepEveryMs);
    this.sweeper.unref();
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  /** Forgets clients not seen for two windows and not blocked: memory stays with the clients of the last minutes. */
  private sweep(now: number): void {
    for (const [key, window] of this.windows)
      if (window.blockedUntil <= now && now - window.start >= 2 * this.longestTtl) this.windows.delete(key);
  }

  increment(key: string, ttl: number, limit: number, blockDuration: number, _name?: string, now = Date.now()) {
    this.longestTtl = Math.max(this.longestTtl, ttl);
    let window = this.windows.get(key);
    if (!window) this.windows.set(key, (window = { start: now, current: 0, previous: 0, blockedUntil: 0 }));
    if (window.blockedUntil && window.blockedUntil <= now)
      Object.assign(window, { start: now, current: 0, previous: 0, blockedUntil: 0 });
    const passed = Math.floor((now - window.start) / ttl);
    if (passed >= 1) {
      window.previous = passed === 1 ? window.current : 0;
      window.current = 0;
      window.start += passed * ttl;
    }
    const overlap = 1 - (now - window.start) / ttl;
    const hits = Math.floor(window.previous * overlap) + window.current;
    const timeToExpire = Math.ceil((window.start + ttl - now) / 1000);
    if (window.blockedUntil <= now && hits >= limit) window.blockedUntil = now + Math.max(blockDuration, 1);
    const isBlocked = window.blockedUntil > now;
    if (!isBlocked) window.current += 1;
    return Promise.resolve({
      totalHits: hits + 1,
      timeToExpire,
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((window.blockedUntil - now) / 1000) : 0,
    });
  }
}
