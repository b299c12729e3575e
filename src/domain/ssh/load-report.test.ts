import { describe, expect, it } from 'vitest';
import { callsErrorText, parseLoadReport } from './load-report';

describe('parseLoadReport', () => {
  const good =
    '{"load":[0.15,0.10,0.05],"memory":{"totalKb":2048000,"availableKb":1024000},"uptimeSec":3600.5,"channels":null,"pendingUpdates":3}';

  it('reads the last line, so a login banner before it does no harm', () => {
    expect(parseLoadReport(`Welcome to sip1\n${good}\n`)).toEqual({
      ok: true,
      report: {
        load: [0.15, 0.1, 0.05],
        memory: { totalKb: 2048000, availableKb: 1024000 },
        uptimeSec: 3600.5,
        channels: null,
        pendingUpdates: 3,
      },
    });
  });

  it('says what is wrong instead of charting zeros', () => {
    expect(parseLoadReport('sh: kamcmd: not found')).toMatchObject({ ok: false, message: /did not print JSON/ });
    expect(
      parseLoadReport('{"load":[1,2],"memory":{"totalKb":1,"availableKb":1},"uptimeSec":1,"channels":0,"pendingUpdates":0}'),
    ).toMatchObject({ ok: false });
    expect(parseLoadReport(good.replace('"channels":null', '"channels":-1'))).toMatchObject({ ok: false });
  });
});

describe('calls in the load report', () => {
  const base = '"load":[0.1,0.1,0.1],"memory":{"totalKb":1,"availableKb":1},"uptimeSec":5,"pendingUpdates":0';

  it('reads the dialog counters the shipped recipe prints', () => {
    const parsed = parseLoadReport(
      `{${base},"calls":{"active":12,"early":1,"processed":340,"clockSec":6556.44,"kamailioUptimeSec":26},"callsError":null}`,
    );
    expect(parsed).toMatchObject({
      ok: true,
      report: { calls: { active: 12, early: 1, processed: 340, clockSec: 6556.44, kamailioUptimeSec: 26 }, callsError: null },
    });
  });

  it("reads why calls were not read, with kamcmd's own words", () => {
    const parsed = parseLoadReport(
      `{${base},"calls":null,"callsError":{"code":"ctl-unreachable","detail":"ERROR: connect_unix_sock: connect(/run/kamailio/kamailio_ctl): Connection refused 111 "}}`,
    );
    if (!parsed.ok || !parsed.report.callsError) throw new Error('expected a calls error');
    expect(callsErrorText(parsed.report.callsError)).toBe(
      "kamcmd could not reach Kamailio's control socket: is Kamailio running, with the ctl module, on the socket the load recipe names (kamcmd said: ERROR: connect_unix_sock: connect(/run/kamailio/kamailio_ctl): Connection refused 111)?",
    );
  });

  it.each([
    ['kamcmd-missing', /not installed/],
    ['ctl-timeout', /no answer .* within 5 s/],
    ['no-dialog-module', /dialog module is not loaded/],
    ['rpc-error', /kex module/],
    ['unreadable', /could not be read/],
  ] as const)('%s is said in words', (code, text) => expect(callsErrorText({ code, detail: '' })).toMatch(text));

  it('refuses counters that are not whole non-negative numbers, and codes it does not know', () => {
    expect(parseLoadReport(`{${base},"calls":{"active":-1,"early":0,"processed":1,"clockSec":1,"kamailioUptimeSec":null}}`)).toMatchObject({
      ok: false,
    });
    expect(parseLoadReport(`{${base},"calls":{"active":1.5,"early":0,"processed":1,"clockSec":1,"kamailioUptimeSec":null}}`)).toMatchObject(
      { ok: false },
    );
    expect(parseLoadReport(`{${base},"calls":null,"callsError":{"code":"rm -rf","detail":""}}`)).toMatchObject({ ok: false });
  });
});
