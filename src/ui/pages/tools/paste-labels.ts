// How a recognised paste is named on screen: "Ping · Windows, German · CP850".

const FLAVORS: Record<string, string> = {
  linux: 'Linux (iputils)',
  busybox: 'BusyBox',
  bsd: 'macOS / BSD',
  windows: 'Windows',
  report: 'report',
  'report-wide': 'wide report',
  screen: 'interactive screen',
  json: 'JSON',
  'json-hops': 'JSON hop list',
  raw: 'raw',
  csv: 'CSV',
  winmtr: 'WinMTR export',
};
const LANGUAGES: Record<string, string> = {
  en: 'English',
  de: 'German',
  fr: 'French',
  es: 'Spanish',
  ja: 'Japanese',
  'zh-CN': 'Chinese (simplified)',
  'zh-TW': 'Chinese (traditional)',
  ru: 'Russian',
};

export function pasteLabel(kind: string, flavor?: string, language?: string, encoding?: string): string {
  const parts = [kind === 'mtr' ? 'MTR' : kind === 'sip' ? 'SIP message' : kind === 'ping' ? 'Ping' : 'Not recognised'];
  if (flavor) parts.push(language ? `${FLAVORS[flavor] ?? flavor}, ${LANGUAGES[language] ?? language}` : (FLAVORS[flavor] ?? flavor));
  if (encoding && encoding !== 'utf-8') parts.push(encoding.toUpperCase());
  return parts.join(' · ');
}

/** Bytes to base64 in slices: String.fromCharCode(...all) overflows the stack on a large file. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
