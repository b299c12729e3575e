// `switchyard demo`'s entry in the command list, kept apart from the command itself so the usage,
// help and completions read it without loading the host.
export const DEMO_COMMAND = {
  name: 'demo',
  synopsis: '[--port N] [--data DIR]',
  description:
    'Runs the console like serve, on the demo fleet in a data folder of its own (default: a "-demo" folder beside the normal one, never your fleet), with a built-in SIP responder on 127.0.x.y answering as a real fleet does: most servers fast, one slow, one 503, one silent, one flapping.',
} as const;
