// Arguments that would do something if they reached a shell unquoted. Each must arrive at the
// remote program as exactly this text.
export const HOSTILE_ARGS: readonly string[] = [
  'a; touch MARKER',
  '$(touch MARKER)',
  '`touch MARKER`',
  'line one\nline two\n; touch MARKER',
  '-rf',
  '--help',
  "it's 'quoted'",
  '"double" \\back\\slash',
  '',
  ' spaces  inside ',
  'ünïcödé ☎ 电话 🔔',
  '${HOME} $HOME ~ *',
  '| & > < ( ) { } [ ] ! # =x',
  "'",
  "''\\''",
  '\t\r\n',
];
