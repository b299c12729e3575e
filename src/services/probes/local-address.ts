import dgram from 'node:dgram';
import net from 'node:net';

const cache = new Map<string, Promise<string>>();

/**
 * The address this machine sends from to reach `host`, for the Via and Contact of a probe: a
 * connected UDP socket asks the kernel's routing table without sending anything. Cached per host.
 */
export function localAddressFor(host: string, port: number): Promise<string> {
  const bare = host.replace(/^\[|\]$/g, '');
  let known = cache.get(bare);
  if (!known) {
    known = new Promise<string>((resolve, reject) => {
      const socket = dgram.createSocket(net.isIPv6(bare) ? 'udp6' : 'udp4');
      socket.on('error', (error) => {
        socket.close();
        reject(error);
      });
      socket.connect(port, bare, () => {
        const address = socket.address().address;
        socket.close();
        resolve(address);
      });
    });
    // A failure (no route yet) is not remembered: the next probe asks again.
    known.catch(() => cache.delete(bare));
    cache.set(bare, known);
  }
  return known;
}
