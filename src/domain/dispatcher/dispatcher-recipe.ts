import { RemoteCommand } from '../ssh/platform-recipes';

/**
 * Reading a dispatcher's own view of its destinations: prints `kamcmd dispatcher.list`, Kamailio's
 * RPC text form. Exit 127 means kamcmd is not there; kamcmd exits 255 when the control socket does
 * not answer.
 */
export const DispatcherRecipe = RemoteCommand;
export type DispatcherRecipe = RemoteCommand;
