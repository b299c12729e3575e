// The UDP engine's two answer readers: the byte reader that settles plain answers without a
// string, and the text reader (fast matcher, then the full parser) it leaves everything else to.
// The byte reader may only ever say what the text reader says, or nothing: every case here,
// and every mutation of a real answer, is checked against the text reader.
import { describe, expect, it } from 'vitest';
import { ownAnswerInBytes, ownAnswerInText, SEQ_SPAN, UNDECIDED } from './sip-answer-read';

const BRANCH_HEAD = 'z9hG4bK0a1b2c3d4e5f';
const CALL_ID_PREFIX = '0123456789abcdef';
const SEQ = 0x4000_0abc;
const HEX = SEQ.toString(16);
const branchHead = Buffer.from(BRANCH_HEAD, 'latin1');
const callIdHead = Buffer.from(CALL_ID_PREFIX, 'latin1');

/** An answer as servers send it to one of our probes (status, then what each test changes). */
function answer(status = '200 OK', seq = SEQ): string {
  const hex = seq.toString(16);
  return (
    `SIP/2.0 ${status}\r\n` +
    `Via: SIP/2.0/UDP 127.0.0.1:40001;branch=${BRANCH_HEAD}${hex};rport=40001;received=127.0.0.1\r\n` +
    `From: <sip:switchyard@127.0.0.1>;tag=5e6f7a8b\r\n` +
    `To: <sip:127.0.1.1:5060>;tag=1234uas1\r\n` +
    `Call-ID: ${CALL_ID_PREFIX}${hex}\r\n` +
    `CSeq: ${seq} OPTIONS\r\n` +
    `Content-Length: 0\r\n\r\n`
  );
}

const bytes = (data: Buffer) => ownAnswerInBytes(data, branchHead, callIdHead);
const text = (data: Buffer) => ownAnswerInText(data, BRANCH_HEAD, CALL_ID_PREFIX);
const read = (message: string | Buffer) => {
  const data = typeof message === 'string' ? Buffer.from(message, 'latin1') : message;
  const fromBytes = bytes(data);
  const fromText = text(data);
  // The one rule: the byte reader agrees with the text reader or leaves the datagram to it.
  if (fromBytes !== UNDECIDED) expect(fromBytes).toBe(fromText);
  return { bytes: fromBytes, text: fromText };
};
const ours = (status: number, seq = SEQ) => status * SEQ_SPAN + seq;

describe('the byte reader of SIP UDP answers', () => {
  it('reads a plain final or provisional answer to one of our probes, as the text reader does', () => {
    expect(read(answer())).toEqual({ bytes: ours(200), text: ours(200) });
    expect(read(answer('503 Service Unavailable'))).toEqual({ bytes: ours(503), text: ours(503) });
    expect(read(answer('100 Trying'))).toEqual({ bytes: ours(100), text: ours(100) });
    // A status line with no reason phrase.
    expect(read(answer('404'))).toEqual({ bytes: ours(404), text: ours(404) });
    // The first and the last seq a process hands out.
    expect(read(answer('200 OK', 2 ** 30))).toEqual({ bytes: ours(200, 2 ** 30), text: ours(200, 2 ** 30) });
    expect(read(answer('200 OK', 2 ** 31 - 1))).toEqual({ bytes: ours(200, 2 ** 31 - 1), text: ours(200, 2 ** 31 - 1) });
    // A body after the blank line is not read.
    expect(read(answer().replace('Content-Length: 0', 'Content-Length: 4') + 'v=0\n').bytes).toBe(ours(200));
  });

  it('reads compact names, odd case and blanks the way the fast matcher does', () => {
    const edited = answer()
      .replace('Via: ', 'v : ')
      .replace('Call-ID: ', 'i:\t')
      .replace('CSeq: ', 'cseq:  ')
      .replace(';branch=', '; BRANCH = ')
      .replace(` OPTIONS\r\n`, ` \t OPTIONS \r\n`);
    expect(read(edited)).toEqual({ bytes: ours(200), text: ours(200) });
    // Only the first Via, Call-ID and CSeq count, and only the first branch of the top Via.
    const second = answer().replace('\r\nFrom:', `\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKother\r\nFrom:`);
    expect(read(second)).toEqual({ bytes: ours(200), text: ours(200) });
    expect(read(answer().replace(';rport=40001', `;branch=z9hG4bKother`)).bytes).toBe(ours(200));
    expect(read(answer().replace(';branch=', ';branch=z9hG4bKother;branch='))).toEqual({ bytes: UNDECIDED, text: UNDECIDED });
    // A parameter whose name only starts with "branch" is another parameter.
    expect(read(answer().replace(';branch=', ';branchy=x;branch=')).bytes).toBe(ours(200));
  });

  it('drops answers that are not to our probe, as before', () => {
    const notOurs = [
      answer().replace(`Call-ID: ${CALL_ID_PREFIX}`, 'Call-ID: someone-else'),
      answer().replace(`Call-ID: ${CALL_ID_PREFIX}${HEX}`, `Call-ID: ${CALL_ID_PREFIX}${(SEQ + 1).toString(16)}`),
      answer().replace(`Call-ID: ${CALL_ID_PREFIX}${HEX}`, `Call-ID: ${CALL_ID_PREFIX}${HEX}@host`),
      answer().replace(' OPTIONS\r\n', ' INVITE\r\n'),
      answer().replace(' OPTIONS\r\n', ' options\r\n'),
      answer().replace(`CSeq: ${SEQ}`, `CSeq: ${SEQ + 1}`),
      answer().replace(`CSeq: ${SEQ}`, `CSeq: 0${SEQ}`),
      answer().replace(`CSeq: ${SEQ}`, 'CSeq: 1'),
      answer().replace(`branch=${BRANCH_HEAD}`, 'branch=z9hG4bKffffffffffff'),
      answer().replace(`${BRANCH_HEAD}${HEX}`, `${BRANCH_HEAD}${HEX.toUpperCase()}`),
      answer().replace(`${BRANCH_HEAD}${HEX}`, `${BRANCH_HEAD}0${HEX.slice(1)}`),
      answer().replace(`${BRANCH_HEAD}${HEX}`, `${BRANCH_HEAD}${HEX}0`),
      answer().replace(`;branch=${BRANCH_HEAD}${HEX}`, ';branch'),
      answer().replace(`;branch=${BRANCH_HEAD}${HEX}`, ''),
      answer().replace(/^Via:[^\r]*\r\n/m, ''),
      answer().replace(/^Call-ID:[^\r]*\r\n/m, ''),
      answer().replace(/^CSeq:[^\r]*\r\n/m, ''),
      // Our own request echoed back is a request, never an answer.
      answer().replace(/^SIP\/2\.0 200 OK/, 'OPTIONS sip:127.0.1.1:5060 SIP/2.0'),
    ];
    for (const message of notOurs) expect(read(message), message).toEqual({ bytes: UNDECIDED, text: UNDECIDED });
  });

  it('leaves truncated datagrams, non-SIP bytes and bad status lines to the text reader', () => {
    const full = Buffer.from(answer(), 'latin1');
    const cseqRead = full.indexOf(' OPTIONS\r\n') + ' OPTIONS'.length;
    for (let length = 0; length < full.length - 1; length += 1) {
      const cut = read(full.subarray(0, length));
      // No blank line: never the byte reader's. The full parser takes a datagram cut after its
      // last needed header as it always has, and drops one cut sooner.
      expect(cut.bytes, `cut at ${length}`).toBe(UNDECIDED);
      if (length < cseqRead) expect(cut.text, `cut at ${length}`).toBe(UNDECIDED);
    }
    const garbage = [
      Buffer.from([0, 1, 2, 255, 13, 10, 13, 10]),
      Buffer.alloc(2_000, 'A'),
      Buffer.from('\r\n\r\n'),
      Buffer.from(answer().replace('SIP/2.0 200', 'SIP/2.0 2x0')),
      Buffer.from(answer().replace('SIP/2.0 200', 'SIP/2.0 099')),
      Buffer.from(answer().replace('SIP/2.0 200', 'SIP/2.0 700')),
      Buffer.from(answer().replace('SIP/2.0 200 OK', 'SIP/2.0 2000 OK')),
    ];
    for (const data of garbage) expect(read(data)).toEqual({ bytes: UNDECIDED, text: UNDECIDED });
    // What the full parser has always let through (no blank line after the headers, a doubled
    // blank or another version in the status line) is still its to take.
    for (const lenient of [
      answer().replace(/\r\n\r\n$/, '\r\n'),
      answer().replace('SIP/2.0 200 OK', 'SIP/2.0  200 OK'),
      answer().replace('SIP/2.0 200 OK', 'SIP/3.0 200 OK'),
    ]) {
      expect(read(lenient)).toEqual({ bytes: UNDECIDED, text: ours(200) });
    }
  });

  it('leaves folded headers, bare LFs, non-ASCII bytes and odd Via values to the text reader, whatever it decides', () => {
    const odd = [
      // Folded lines: the full parser unfolds them and still finds our answer.
      answer().replace(';rport=40001', '\r\n ;rport=40001'),
      answer().replace('To: <sip:127.0.1.1:5060>', 'To:\r\n\t<sip:127.0.1.1:5060>'),
      // Bare LF line ends.
      answer().replace(/\r\n/g, '\n'),
      answer().replace('\r\nFrom:', '\nFrom:'),
      // A Latin-1 display name (a byte outside ASCII) and one in a body.
      answer().replace('From: <sip:', 'From: "J\u00e9r\u00f4me" <sip:'),
      answer().replace('Content-Length: 0', 'Content-Length: 1') + '\u00e9',
      // Top Via values only the full parser reads: two values in one header, a quoted parameter.
      answer().replace(';received=127.0.0.1', ';received=127.0.0.1, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKx'),
      answer().replace(';received=127.0.0.1', ';note="a;b"'),
      answer().replace(';received=127.0.0.1', ';x=<y>'),
      answer().replace('Via: ', 'Via:\t'),
    ];
    const decidedByText = odd.map((message) => {
      const result = read(message);
      // Everything but the blank-only change is beyond the byte reader.
      if (!message.includes('Via:\t')) expect(result.bytes, message).toBe(UNDECIDED);
      return result.text;
    });
    // The text reader still takes the folded, LF-only and Latin-1 answers as ours.
    expect(decidedByText.slice(0, 6)).toEqual(Array(6).fill(ours(200)));
  });

  it('never disagrees with the text reader on any one-byte change of a real answer', () => {
    const base = Buffer.from(answer(), 'latin1');
    const replacements = [0x00, 0x09, 0x0a, 0x0d, 0x20, 0x22, 0x2c, 0x30, 0x3a, 0x3b, 0x3c, 0x3d, 0x41, 0x61, 0x66, 0x67, 0x7f, 0x80, 0xe9];
    let decided = 0;
    for (let at = 0; at < base.length; at += 1) {
      for (const byte of replacements) {
        const data = Buffer.from(base);
        data[at] = byte;
        if (read(data).bytes !== UNDECIDED) decided += 1;
        // Dropped, or doubled, at the same place.
        read(Buffer.concat([base.subarray(0, at), base.subarray(at + 1)]));
        read(Buffer.concat([base.subarray(0, at), Buffer.from([byte]), base.subarray(at)]));
      }
    }
    // Many changes (in From, To, the reason phrase …) leave it plainly ours: the byte reader takes those.
    expect(decided).toBeGreaterThan(1_000);
  });
});
