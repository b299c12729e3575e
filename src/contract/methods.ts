import type { z } from 'zod';
import type { METHOD_CHANNELS } from './channels';
import { actionsMethods } from './actions-methods';
import { actionSettingsMethods } from './action-settings-methods';
import { powerMethods } from './power-methods';
import { uacMethods } from './uac-methods';
import { apibanMethods } from './apiban-methods';
import { certificatesMethods } from './certificates-methods';
import { certDeployMethods } from './cert-deploy-methods';
import { registrationsMethods } from './registrations-methods';
import { dispatcherMethods } from './dispatcher-methods';
import { loadMethods } from './load-methods';
import { appMethods, fleetMethods } from './fleet-methods';
import { sshSecretMethods } from './ssh-secret-methods';
import { sshMethods } from './ssh-methods';
import { toolsMethods } from './tools-methods';
import { snapshotsMethods } from './snapshots-methods';
import { monitoringMethods } from './monitoring-methods';
import { platformMethods } from './platform-methods';
import { alertsMethods } from './alerts-methods';
import { mediaMethods } from './media-methods';
import { vantageMethods } from './vantage-methods';
import { accountsMethods } from './accounts-methods';
import { auditMethods } from './audit-methods';
import { mergeDisjoint } from './merge-disjoint';
import type { MethodSpec } from './spec';

export type { MethodSpec } from './spec';

/**
 * Every call of the contract, assembled from one file per area; a name declared by two areas throws
 * at load (merge-disjoint.ts). The `satisfies` clause makes a channel (channels.ts) without a method
 * a compile error; test/unit/ipc-surface.test.ts pins the two lists equal.
 */
export const methods = mergeDisjoint('contract methods', {
  appMethods,
  fleetMethods,
  actionsMethods,
  actionSettingsMethods,
  powerMethods,
  uacMethods,
  sshSecretMethods,
  toolsMethods,
  sshMethods,
  snapshotsMethods,
  monitoringMethods,
  platformMethods,
  certificatesMethods,
  certDeployMethods,
  apibanMethods,
  registrationsMethods,
  loadMethods,
  dispatcherMethods,
  alertsMethods,
  mediaMethods,
  vantageMethods,
  accountsMethods,
  auditMethods,
}) satisfies Record<(typeof METHOD_CHANNELS)[number], MethodSpec>;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type InputOf<M extends MethodName> = z.input<Methods[M]['input']>;
export type ParsedInputOf<M extends MethodName> = z.output<Methods[M]['input']>;
export type OutputOf<M extends MethodName> = z.output<Methods[M]['output']>;

export const methodNames = Object.keys(methods) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}
