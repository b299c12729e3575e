// A probe target's OPTIONS request, built and checked once, with the three fields that change per
// probe (Via branch, Call-ID, CSeq number) left open. Rendering is string concatenation: the
// fleet's request rate costs no validation, no random bytes and no header assembly per probe.
import { BRANCH_COOKIE } from './check-via';
import { buildOptions, type OptionsParams } from './options';
import { cryptoRandomHex, type RandomHex } from './random';

export interface OptionsTemplate {
  /** The request with these identifiers; `branchSuffix` follows the `z9hG4bK` cookie. */
  render(branchSuffix: string, callId: string, cseq: number): string;
  /** The From tag, the same for every probe of this target (each probe has its own Call-ID). */
  readonly fromTag: string;
}

/**
 * Throws a DomainError for a bad parameter, as `buildOptions` does. The caller keeps identifiers
 * unique and to token characters; `render` output equals what `buildOptions` makes with them.
 */
export function optionsTemplate(params: Omit<OptionsParams, 'cseq'>, random: RandomHex = cryptoRandomHex): OptionsTemplate {
  const sample = buildOptions({ ...params, cseq: 1 }, random);
  const text = sample.text;
  const branchMark = `;branch=${sample.branch};`;
  const callIdMark = `\r\nCall-ID: ${sample.callId}\r\n`;
  const cseqMark = '\r\nCSeq: 1 OPTIONS\r\n';
  const found = [text.indexOf(branchMark), text.indexOf(callIdMark), text.indexOf(cseqMark)];
  if (found.some((at) => at < 0)) throw new Error('the OPTIONS layout changed: the template cannot find its fields');
  const [b = 0, c = 0, q = 0] = found;
  const branchAt = b + ';branch='.length + BRANCH_COOKIE.length;
  const callIdAt = c + '\r\nCall-ID: '.length;
  const cseqAt = q + '\r\nCSeq: '.length;
  const head = text.slice(0, branchAt);
  const afterBranch = text.slice(branchAt + sample.branch.length - BRANCH_COOKIE.length, callIdAt);
  const afterCallId = text.slice(callIdAt + sample.callId.length, cseqAt);
  const tail = text.slice(cseqAt + 1);
  return {
    fromTag: sample.fromTag,
    render: (branchSuffix, callId, cseq) => head + branchSuffix + afterBranch + callId + afterCallId + cseq + tail,
  };
}
