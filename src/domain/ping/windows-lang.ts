// Phrases of Windows ping.exe in the languages Switchyard recognises. Only the words that
// differ between languages live here; the shape of each line is read in windows.ts.

export interface WindowsLanguage {
  code: string;
  /** Words that identify the language in a whole paste. */
  markers: RegExp;
  /** A request that got no answer. */
  timeout: RegExp;
  /** Word printed before the round-trip time in a reply. */
  time: string;
  /** Start of the statistics block, capturing the address. */
  statsHeader: RegExp;
  /** Start of a reply line, capturing the address that answered. */
  /** Captures the address; it ends at the colon followed by a space (IPv6 addresses hold colons). */
  replyFrom: RegExp;
}

export const WINDOWS_LANGUAGES: readonly WindowsLanguage[] = [
  {
    code: 'en',
    markers: /Pinging .* with \d+ bytes|Reply from |Request timed out|Ping statistics for/,
    timeout: /^Request timed out\.?$/,
    time: 'time',
    statsHeader: /^Ping statistics for (.+?):?$/,
    replyFrom: /^Reply from (\S+?):(?=\s|$)/,
  },
  {
    code: 'de',
    markers: /Ping wird ausgef|Antwort von |Zeitüberschreitung der Anforderung|Ping-Statistik/,
    timeout: /^Zeitüberschreitung der Anforderung\.?$/,
    time: 'Zeit',
    statsHeader: /^Ping-Statistik für (.+?):?$/,
    replyFrom: /^Antwort von (\S+?):(?=\s|$)/,
  },
  {
    code: 'fr',
    markers: /requ[eê]te 'Ping'|R[ée]ponse de |Délai d'attente de la demande|Statistiques Ping/,
    timeout: /^Délai d'attente de la demande dépassé\.?$/,
    time: 'temps',
    statsHeader: /^Statistiques Ping pour (.+?)\s*:?$/,
    replyFrom: /^R[ée]ponse de (\S+?)\s*:(?=\s|$)/,
  },
  {
    code: 'es',
    markers: /Haciendo ping a|Respuesta desde |Tiempo de espera agotado|Estadísticas de ping/,
    timeout: /^Tiempo de espera agotado para esta solicitud\.?$/,
    time: 'tiempo',
    statsHeader: /^Estadísticas de ping para (.+?):?$/,
    replyFrom: /^Respuesta desde (\S+?):(?=\s|$)/,
  },
  {
    code: 'ja',
    markers: /ping を送信しています|からの応答|要求がタイムアウトしました|ping 統計/,
    timeout: /^要求がタイムアウトしました。?$/,
    time: '時間',
    statsHeader: /^(.+?) の ping 統計:?$/,
    replyFrom: /^(\S+?) からの応答:(?=\s|$)/,
  },
  {
    code: 'zh-CN',
    markers: /正在 Ping|的回复|请求超时|统计信息/,
    timeout: /^请求超时。?$/,
    time: '时间',
    statsHeader: /^(.+?) 的 Ping 统计信息:?$/,
    replyFrom: /^来自 (\S+?) 的回复:(?=\s|$)/,
  },
  {
    code: 'zh-TW',
    markers: /位元組的資料|回覆自|要求等候逾時|統計資料/,
    timeout: /^要求等候逾時。?$/,
    time: '時間',
    statsHeader: /^(.+?) 的 Ping 統計資料:?$/,
    replyFrom: /^回覆自 (\S+?):(?=\s|$)/,
  },
  {
    code: 'ru',
    markers: /Обмен пакетами с|Ответ от |Превышен интервал ожидания|Статистика Ping/,
    timeout: /^Превышен интервал ожидания для запроса\.?$/,
    time: 'время',
    statsHeader: /^Статистика Ping для (.+?):?$/,
    replyFrom: /^Ответ от (\S+?):(?=\s|$)/,
  },
];

/** Which language a Windows ping paste is written in, if any of ours. */
export function windowsLanguageOf(text: string): string | undefined {
  return WINDOWS_LANGUAGES.find((l) => l.markers.test(text))?.code;
}
