import { afterEach, expect, test } from 'vitest';
import { importServers, openSession, type Session } from './fixtures';

// The fleet's status changes arrive a batch at a time (each push carries the servers whose status
// moved since the last); the console tells them in one toast that keeps the tally while it is on
// screen, not one toast per batch.

let s: Session | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const SERVERS = 40;

test('one toast keeps the tally of the servers whose status changed, each counted once by its latest status', async () => {
  s = await openSession();
  const { page } = s;
  await s.open('#/fleet');
  // Nothing answers SIP on these addresses while ping does: every server goes Degraded, then Down
  // ("SIP down, host up"), over several pushes.
  await importServers(
    s.host,
    Array.from({ length: SERVERS }, (_, i) => ({ ip: `127.67.0.${i + 1}`, alias: `tally-${i}`, type: 'switch', zone: 'eu' })),
  );
  const statusToasts = page.getByTestId('toast').filter({ hasText: /changed status|\(127\.67\./ });
  const seen = new Set<number>();
  await expect
    .poll(
      async () => {
        const texts = await statusToasts.allTextContents();
        seen.add(texts.length);
        return texts;
      },
      { timeout: 60_000, interval: 200 },
    )
    .toEqual([expect.stringContaining(`${SERVERS} servers changed status: ${SERVERS} down.`)]);
  // Never more than one at a time, however many pushes it took.
  expect([...seen].every((n) => n <= 1)).toBe(true);
  expect(await page.getByTestId('toast').count()).toBe(1);
  await statusToasts.first().getByRole('button', { name: 'Dismiss' }).click();
  await expect.poll(() => statusToasts.count()).toBe(0);
}, 90_000);
