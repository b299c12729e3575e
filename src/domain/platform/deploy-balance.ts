// The reference: deploying a server needs $20 available, plus $20 for every other server already
// on the account. Money is whole cents throughout, so $19.99 is 1999 and never 19.989999.

export const PER_SERVER_CENTS = 2000;

export interface BalanceCheck {
  ok: boolean;
  availableCents: number;
  requiredCents: number;
  /** 0 when the balance suffices. */
  shortfallCents: number;
  existingServers: number;
  message: string;
}

export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(cents));
  return `${sign}$${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}

export function deployBalance(availableCents: number, existingServers: number): BalanceCheck {
  const requiredCents = PER_SERVER_CENTS * (existingServers + 1);
  const shortfallCents = Math.max(0, requiredCents - availableCents);
  const basis = `$20 for the new server + $20 × ${existingServers} existing server${existingServers === 1 ? '' : 's'}`;
  const message =
    shortfallCents === 0
      ? `Available balance ${formatCents(availableCents)} covers the ${formatCents(requiredCents)} needed (${basis}).`
      : `Deploying needs ${formatCents(requiredCents)} available (${basis}); the available balance is ${formatCents(availableCents)}, ${formatCents(shortfallCents)} short.`;
  return { ok: shortfallCents === 0, availableCents, requiredCents, shortfallCents, existingServers, message };
}
