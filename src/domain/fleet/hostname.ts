/**
 * RFC 1123 host names: labels of letters, digits and inner hyphens, 1–63 characters each, 253 in
 * all. Used for FQDNs and SSH hosts; network tools reuse it for their targets.
 */
const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

export function isHostname(text: string): boolean {
  if (text.length === 0 || text.length > 253) return false;
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  return name.split('.').every((label) => LABEL.test(label));
}

/** A fully qualified name: a host name with at least two labels, the last not all digits. */
export function isFqdn(text: string): boolean {
  if (!isHostname(text)) return false;
  const labels = text.replace(/\.$/, '').split('.');
  return labels.length >= 2 && !/^\d+$/.test(labels[labels.length - 1] ?? '');
}
