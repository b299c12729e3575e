// `npm run build:completions`: writes the bash and zsh completion scripts made from the one
// command list (src/cli/completions.ts) into resources/completions/, where they are checked in.
// completions.test.ts fails when the files there differ from what this writes.
import { writeFileSync } from 'node:fs';
import { bashCompletion, COMPLETION_FILES, zshCompletion } from '../src/cli/completions';

writeFileSync(COMPLETION_FILES.bash, bashCompletion());
writeFileSync(COMPLETION_FILES.zsh, zshCompletion());
process.stderr.write(`wrote ${COMPLETION_FILES.bash} and ${COMPLETION_FILES.zsh}\n`);
