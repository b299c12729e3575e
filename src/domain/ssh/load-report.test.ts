import { describe, expect, it } from 'vitest';
import { parseLoadReport } from './load-report';

describe('parseLoadReport', () => {
  const good = '{"load":[0.15,0.10,0.05],"memory":{"totalKb":2048000,"availableKb":1024000},"uptimeSec":3600.5,"channels":null,"pendingUpdates":3}';

  it('reads the last line, so a login banner before it does no harm', () => {
    expect(parseLoadReport(`Welcome to sip1\n${good}\n`)).toEqual({
      ok: true,
      report: { load: [0.15, 0.1, 0.05], memory: { totalKb: 2048000, availableKb: 1024000 }, uptimeSec: 3600.5, channels: null, pendingUpdates: 3 },
    });
  });

  it('says what is wrong instead of charting zeros', () => {
    expect(parseLoadReport('sh: kamcmd: not found')).toMatchObject({ ok: false, message: /did not print JSON/ });
    expect(parseLoadReport('{"load":[1,2],"memory":{"totalKb":1,"availableKb":1},"uptimeSec":1,"channels":0,"pendingUpdates":0}')).toMatchObject({ ok: false });
    expect(parseLoadReport(good.replace('"channels":null', '"channels":-1'))).toMatchObject({ ok: false });
  });
});
