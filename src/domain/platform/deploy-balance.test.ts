import { describe, expect, it } from 'vitest';
import { deployBalance, formatCents } from './deploy-balance';

describe('the deploy balance check', () => {
  it('refuses $19.99 for a first server, one cent short', () => {
    const check = deployBalance(1999, 0);
    expect(check).toMatchObject({ ok: false, requiredCents: 2000, shortfallCents: 1 });
    expect(check.message).toContain('$0.01 short');
  });

  it('allows the exact amount', () => {
    expect(deployBalance(2000, 0)).toMatchObject({ ok: true, shortfallCents: 0 });
    expect(deployBalance(8000, 3)).toMatchObject({ ok: true, requiredCents: 8000 });
  });

  it('adds $20 for every server already in the fleet and names the exact shortfall', () => {
    const check = deployBalance(5000, 3);
    expect(check).toMatchObject({ ok: false, requiredCents: 8000, shortfallCents: 3000 });
    expect(check.message).toBe(
      'Deploying needs $80.00 available ($20 for the new server + $20 × 3 existing servers); the available balance is $50.00, $30.00 short.',
    );
  });

  it('formats cents without floating-point drift', () => {
    expect(formatCents(1999)).toBe('$19.99');
    expect(formatCents(123456789)).toBe('$1,234,567.89');
    expect(formatCents(-5)).toBe('-$0.05');
  });
});
