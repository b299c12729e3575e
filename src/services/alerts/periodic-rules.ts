// The rules that are not about probe samples, checked once a minute: certificates close to expiry,
// an update pending for too long, APIBAN's last sync failing. Each raises when its condition holds
// and clears when it no longer does (no hysteresis: the condition is a fact, not a noisy sample).
import { ruleSourceText, type RuleIndex } from '../../domain/alerts/resolve';
import { certExpiryFigures, updatePendingFigures } from '../../domain/alerts/summary';
import type { Store } from '../store/store';
import type { AlertBook, Subject } from './alert-book';
import { serverSubject, type ServerEval } from './server-eval';

export interface PeriodicContext {
  store: Store;
  book: AlertBook;
  servers: ReadonlyMap<string, ServerEval>;
  index: RuleIndex;
  apibanKeySet: () => boolean;
}

const DAY = 86_400_000;

export function checkPeriodicRules(ctx: PeriodicContext, now: number): void {
  for (const ev of ctx.servers.values()) {
    certificates(ctx, ev, now);
    servedCertificates(ctx, ev, now);
    pendingUpdate(ctx, ev, now);
  }
  apiban(ctx, now);
}

function certificates(ctx: PeriodicContext, ev: ServerEval, now: number): void {
  const rule = ev.rules.get('cert-expiry');
  const id = ev.info.id;
  if (!rule?.params.enabled || ev.info.paused)
    return ctx.book.clear('cert-expiry', 'server', id, 'Not checked: the rule is off or the server is paused.', now, true);
  let soonest: { name: string; notAfter: number } | null = null;
  for (const assignment of ctx.store.certificates.assignmentsOfServer(id)) {
    const cert = ctx.store.certificates.get(assignment.certificateId);
    if (cert && (soonest === null || cert.notAfter < soonest.notAfter)) soonest = { name: cert.name, notAfter: cert.notAfter };
  }
  const days = rule.params.threshold;
  if (soonest === null || soonest.notAfter - now > days * DAY) {
    return ctx.book.clear(
      'cert-expiry',
      'server',
      id,
      soonest === null ? 'No certificate is assigned any more.' : `Certificate ${soonest.name} is valid for more than ${days} days.`,
      now,
      true,
    );
  }
  const figures = certExpiryFigures(soonest.name, soonest.notAfter, now, days);
  if (ctx.book.isOpen('cert-expiry', 'server', id)) return ctx.book.refresh('cert-expiry', 'server', id, figures, now);
  ctx.book.raise({
    subject: serverSubject('cert-expiry', ev.info),
    severity: rule.params.severity,
    ...figures,
    ruleSource: ruleSourceText(rule),
    renotifyMin: rule.params.renotifyMin,
    at: now,
  });
}

/** What the last TLS handshake check found (it runs daily and after each install; see deploy-service.ts). */
function servedCertificates(ctx: PeriodicContext, ev: ServerEval, now: number): void {
  const rule = ev.rules.get('cert-served');
  const id = ev.info.id;
  if (!rule?.params.enabled || ev.info.paused)
    return ctx.book.clear('cert-served', 'server', id, 'Not checked: the rule is off or the server is paused.', now, true);
  const checks = ctx.store.certDeploy.checks(id);
  const bad = checks.filter((c) => c.outcome !== 'ok');
  const first = bad[0];
  if (!first)
    return ctx.book.clear(
      'cert-served',
      'server',
      id,
      checks.length === 0
        ? 'No certificate check on record.'
        : `Every checked domain is served its assigned certificate (${checks.length}).`,
      now,
      true,
    );
  const figures = {
    summary: bad.length === 1 ? first.message : `${first.message} (and ${bad.length - 1} more)`,
    value: bad.length,
    threshold: null,
  };
  if (ctx.book.isOpen('cert-served', 'server', id)) return ctx.book.refresh('cert-served', 'server', id, figures, now);
  ctx.book.raise({
    subject: serverSubject('cert-served', ev.info),
    severity: rule.params.severity,
    ...figures,
    ruleSource: ruleSourceText(rule),
    renotifyMin: rule.params.renotifyMin,
    at: now,
  });
}

function pendingUpdate(ctx: PeriodicContext, ev: ServerEval, now: number): void {
  const id = ev.info.id;
  const rule = ev.rules.get('update-pending');
  if (!ev.info.updatePending) {
    ctx.store.alerts.clearCondition('update-pending', id);
    return ctx.book.clear('update-pending', 'server', id, 'The update was applied.', now, true);
  }
  // Since when Switchyard has seen it pending (the server's package manager gives no date).
  const since = ctx.store.alerts.condition('update-pending', id)?.since ?? now;
  ctx.store.alerts.setCondition('update-pending', id, since, 0);
  if (!rule?.params.enabled) return ctx.book.clear('update-pending', 'server', id, 'The rule was disabled.', now, true);
  const hours = rule.params.threshold;
  if (now - since < hours * 3_600_000) return;
  const figures = updatePendingFigures(since, now, hours);
  if (ctx.book.isOpen('update-pending', 'server', id)) return ctx.book.refresh('update-pending', 'server', id, figures, now);
  ctx.book.raise({
    subject: serverSubject('update-pending', ev.info),
    severity: rule.params.severity,
    ...figures,
    ruleSource: ruleSourceText(rule),
    renotifyMin: rule.params.renotifyMin,
    at: now,
  });
}

function apiban(ctx: PeriodicContext, now: number): void {
  const rule = ctx.index.effective('apiban-sync', null);
  const state = ctx.store.apiban.state();
  const syncFailed = ctx.apibanKeySet() && state.lastOutcome === 'failed';
  // The schedule's servers whose last apply failed: their entries will time out if nobody looks.
  const applyFailures = ctx.store.apiban.schedule().enabled ? scheduledApplyFailures(ctx.store) : [];
  const failing = rule.params.enabled && (syncFailed || applyFailures.length > 0);
  if (!failing)
    return ctx.book.clear(
      'apiban-sync',
      'fleet',
      null,
      state.lastOutcome === 'complete' ? 'The last APIBAN sync completed.' : 'APIBAN is not failing (or not set up).',
      now,
      true,
    );
  const syncText = syncFailed
    ? `The last APIBAN sync failed${state.lastSyncAt === null ? '' : ` at ${new Date(state.lastSyncAt).toISOString()}`}: ${state.lastMessage ?? 'no message'}`
    : '';
  const applyText =
    applyFailures.length > 0
      ? `Applying the APIBAN list failed on ${applyFailures.map((a) => `${ctx.store.servers.get(a.serverId)?.alias ?? a.serverId} (${a.message})`).join(', ')}`
      : '';
  const summary = [syncText, applyText].filter((t) => t !== '').join(' · ');
  if (ctx.book.isOpen('apiban-sync', 'fleet', null))
    return ctx.book.refresh('apiban-sync', 'fleet', null, { summary, value: null, threshold: null }, now);
  const subject: Subject = { kind: 'apiban-sync', type: 'fleet', id: null, label: 'APIBAN', server: null };
  ctx.book.raise({
    subject,
    severity: rule.params.severity,
    summary,
    value: null,
    threshold: null,
    ruleSource: ruleSourceText(rule),
    renotifyMin: rule.params.renotifyMin,
    at: now,
  });
}

function scheduledApplyFailures(store: Store) {
  const scheduled = new Set(store.apiban.targets().map((t) => t.serverId));
  return store.apiban.applied().filter((a) => !a.ok && scheduled.has(a.serverId));
}
