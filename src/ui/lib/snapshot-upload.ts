import { CallFailed } from '../../contract/client';
import { resultSchema } from '../../contract/result';
import { SnapshotMeta } from '../../contract/snapshots-methods';
import { authHeaders, sharedPageToken } from './transport/page-token';

// A browser console opens a snapshot file it holds by sending the file's bytes to its loopback
// host, which keeps the copy in its snapshots folder and opens it through `snapshots:open`. The
// page's token authenticates it like every call. The desktop app never uploads: its shell
// opens the file where it lies (`snapshots:open-file`).

const UPLOAD_PATH = '/api/snapshots/upload';
const Reply = resultSchema(SnapshotMeta);

/** True in the desktop app, where the shell's own dialog chooses the file. */
export function shellPicksFiles(): boolean {
  return typeof window !== 'undefined' && window.switchyardBridge !== undefined;
}

export async function uploadSnapshot(file: File): Promise<SnapshotMeta> {
  const token = await sharedPageToken()();
  let reply: Response;
  try {
    reply = await fetch(UPLOAD_PATH, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/octet-stream',
        'x-switchyard-file-name': encodeURIComponent(file.name),
        ...authHeaders(token),
      },
      body: file,
    });
  } catch (error) {
    throw new CallFailed('snapshots:upload', {
      code: 'internal',
      message: `Switchyard could not reach its host: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  const parsed = Reply.safeParse(await reply.json().catch(() => null));
  if (!parsed.success)
    throw new CallFailed('snapshots:upload', {
      code: 'internal',
      message: `The host answered the upload with HTTP ${reply.status} and no usable reply.`,
    });
  if (!parsed.data.ok) throw new CallFailed('snapshots:upload', parsed.data.error);
  return parsed.data.data;
}
