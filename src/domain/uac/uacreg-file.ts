import { parseRegistrar } from './upstream';

// The file a server's Kamailio loads its upstream registrations from: the `uacreg` table of
// Kamailio's db_text driver (uac module, `reg_db_url` = `text:///<dir>`), one row per upstream.
// db_text separates columns with ":" and reads "\:" and "\\" as the characters themselves; a
// string column declared without ",null" refuses an empty value, so only the columns Kamailio
// may leave empty (realm, auth_ha1, contact_addr, socket) are declared nullable here.

export interface UacregRow {
  /** Switchyard's id of the upstream: Kamailio's l_uuid, and the user part of the Contact it registers. */
  id: string;
  registrar: string;
  username: string;
  expiry: number;
  password: string;
}

export const UACREG_HEADER =
  'id(int,auto) l_uuid(string) l_username(string) l_domain(string) r_username(string) r_domain(string) realm(string,null) auth_username(string) auth_password(string) auth_ha1(string,null) auth_proxy(string) expires(int) flags(int) reg_delay(int) contact_addr(string,null) socket(string,null) ';

/** The db_text `version` table beside it: uacreg at version 5, as Kamailio 5.6's schema has it. */
export const UACREG_VERSION_FILE = 'id(int,auto) table_name(string) table_version(int) \n0:uacreg:5\n';

export function escapeDbText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
}

/** The whole file; throws on a registrar that is not one (checked earlier, so a bug, not input). */
export function renderUacreg(rows: readonly UacregRow[]): string {
  const lines = rows.map((row, index) => {
    const registrar = parseRegistrar(row.registrar);
    if (!registrar) throw new Error(`Upstream ${row.id} has no usable registrar.`);
    const user = row.username.trim();
    const cells = [
      String(index + 1),
      row.id,
      user,
      registrar.host,
      user,
      registrar.host,
      // Empty realm: answer whichever realm the registrar's challenge names.
      '',
      user,
      row.password,
      '',
      registrar.proxyUri,
      String(row.expiry),
      '0',
      '0',
      '',
      '',
    ];
    return cells.map(escapeDbText).join(':');
  });
  return `${[UACREG_HEADER, ...lines].join('\n')}\n`;
}
