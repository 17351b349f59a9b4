import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dateFilter, filterDate } from '../src/common/filters';

const NOW = new Date('2026-03-01T10:00:00Z');
const q = (pairs: Record<string, string>) => Object.entries(pairs);

describe("BIGSdb's date filters", () => {
  test('dates are YYYY-MM-DD calendar dates, today or yesterday', () => {
    assert.equal(filterDate('2024-02-29', NOW), '2024-02-29');
    assert.equal(filterDate('2023-02-29', NOW), undefined);
    assert.equal(filterDate('2024-2-9', NOW), undefined);
    assert.equal(filterDate('today', NOW), '2026-03-01');
    assert.equal(filterDate('yesterday', NOW), '2026-02-28');
    assert.equal(filterDate("2024-01-01' OR 1=1", NOW), undefined);
  });

  test('after is strictly after, on is equal, reldate counts days back; added_* on dateEntered, updated_* on datestamp', () => {
    assert.deepEqual(
      dateFilter(q({ added_after: '2025-01-01', updated_on: 'today' }), ['added_after', 'updated_on'], NOW),
      {
        dateEntered: { $gt: '2025-01-01' },
        datestamp: { $eq: '2026-03-01' },
      },
    );
    assert.deepEqual(dateFilter(q({ added_reldate: '7' }), ['added_reldate'], NOW), {
      dateEntered: { $gte: '2026-02-22' },
    });
    assert.deepEqual(dateFilter(q({ alleles_updated_after: 'yesterday' }), ['alleles_updated_after'], NOW), {
      datestamp: { $gt: '2026-02-28' },
    });
  });

  test('invalid values and filters the route does not allow are dropped without an error', () => {
    assert.deepEqual(
      dateFilter(
        q({ added_after: 'last week', updated_reldate: '-3', added_on: '2025-01-01' }),
        ['added_after', 'updated_reldate'],
        NOW,
      ),
      {},
    );
  });

  test('the first value of a repeated parameter counts', () => {
    assert.deepEqual(
      dateFilter(
        [
          ['added_on', '2025-01-01'],
          ['added_on', '2025-02-02'],
        ],
        ['added_on'],
        NOW,
      ),
      { dateEntered: { $eq: '2025-01-01' } },
    );
  });
});
