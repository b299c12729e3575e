import type { HandlerDeps } from '../handler-deps';
import type { Handlers } from '../dispatch';
import type { auditMethods } from '../../contract/audit-methods';

type Area = keyof typeof auditMethods;

export function auditHandlers({ audit }: HandlerDeps): Pick<Handlers, Area> {
  return {
    'audit:list': (filter) => audit.list(filter),
    'audit:export': ({ format, filter }) => audit.export(format, filter),
  };
}
