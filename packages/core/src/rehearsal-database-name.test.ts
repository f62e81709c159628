import { describe, expect, it } from 'vitest';
import { leftoverRehearsalDatabases, rehearsalDatabaseCreatedAt, rehearsalDatabaseName } from './rehearsal-database-name.js';

describe('rehearsal database names', () => {
  const now = new Date('2025-01-14T12:00:00Z');

  it('carry their creation time, and a kept one says so', () => {
    const name = rehearsalDatabaseName({ keep: false, now: new Date('2025-01-14T09:30:05.123Z') });
    expect(name).toMatch(/^understudy_rehearse_20250114t093005_[0-9a-f]{8}$/);
    expect(rehearsalDatabaseCreatedAt(name)?.toISOString()).toBe('2025-01-14T09:30:05.000Z');
    const kept = rehearsalDatabaseName({ keep: true, now });
    expect(kept).toMatch(/^understudy_rehearse_kept_20250114t120000_[0-9a-f]{8}$/);
    expect(rehearsalDatabaseCreatedAt(kept)).toBeUndefined();
    // Unique even within one second.
    expect(new Set(Array.from({ length: 50 }, () => rehearsalDatabaseName({ keep: false, now }))).size).toBe(50);
  });

  it("sorts a server's databases into old and recent throwaways and undated ones; kept and other names are never leftovers", () => {
    const groups = leftoverRehearsalDatabases(
      [
        'understudy_rehearse_20250114t105959_0a0b0c0d',
        'understudy_rehearse_20250114t110001_0a0b0c0d',
        'understudy_rehearse_kept_20240101t000000_0a0b0c0d',
        'understudy_rehearse_3f9a0c12ab4e',
        'understudy_rehearse_20250114t105959_0a0b0c0d_copy',
        'shop',
      ],
      { now },
    );
    expect(groups).toEqual({
      old: ['understudy_rehearse_20250114t105959_0a0b0c0d'],
      recent: ['understudy_rehearse_20250114t110001_0a0b0c0d'],
      undated: ['understudy_rehearse_3f9a0c12ab4e'],
    });
    expect(leftoverRehearsalDatabases(['understudy_rehearse_20250114t113000_0a0b0c0d'], { now, olderThanMs: 10 * 60 * 1000 }).old).toHaveLength(1);
  });
});
