// Whether a certificate name covers a host, as TLS clients match it (RFC 6125): case-insensitive,
// and a wildcard stands for exactly one whole left-most label (*.example.com covers
// sip.example.com, not example.com nor a.b.example.com).

export function sanCovers(san: string, host: string): boolean {
  const name = san.trim().toLowerCase().replace(/\.$/, '');
  const target = host.trim().toLowerCase().replace(/\.$/, '');
  if (name === '' || target === '') return false;
  if (!name.startsWith('*.')) return name === target;
  const dot = target.indexOf('.');
  return dot > 0 && target.slice(dot + 1) === name.slice(2);
}

export function anySanCovers(sans: readonly string[], host: string): boolean {
  return sans.some((san) => sanCovers(san, host));
}
