import type { sshMethods } from '../../contract/ssh-methods';
import type { toolsMethods } from '../../contract/tools-methods';
import type { Handlers } from '../dispatch';
import type { HandlerDeps } from '../handler-deps';

type Area = keyof typeof toolsMethods | keyof typeof sshMethods;

export function toolsHandlers({ tools, hostKeyPrompts }: HandlerDeps): Pick<Handlers, Area> {
  return {
    'tools:start-ping': (input) => tools.startPing(input),
    'tools:start-mtr': (input) => tools.startMtr(input),
    'tools:cancel': ({ id }) => tools.cancel(id),
    'tools:list-runs': ({ limit }) => tools.list(limit),
    'tools:get-run': ({ id }) => tools.get(id),
    'tools:delete-run': ({ id }) => tools.delete(id),
    'tools:export-run': ({ id, format }) => tools.export(id, format),
    'tools:parse-pasted': (input) => tools.parsePasted(input),
    'tools:save-pasted': (input) => tools.savePasted(input),

    'ssh:answer-host-key': ({ promptId, accept }) => ({ answered: hostKeyPrompts.answer(promptId, accept) }),
    'ssh:list-host-key-prompts': () => hostKeyPrompts.pending(),
  };
}
