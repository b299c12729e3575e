import { randomUUID } from 'node:crypto';
import { createWriteStream, linkSync, mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { uploadFileName } from '../../domain/snapshots/file-name';
import type { Dispatch } from '../dispatch';
import { sendError, sendJson } from './responses';

// `POST /api/snapshots/upload`: a browser's way to open a snapshot file it holds. The bytes are
// written into the snapshots folder under a name the host makes (never a path the browser sent),
// then opened through the contract's own `snapshots:open`, so an upload is validated exactly like
// a file already in the folder. A file that is refused is removed again: nothing useless stays.

export const SNAPSHOT_UPLOAD_PATH = '/api/snapshots/upload';
/** The header carrying the chosen file's name (URI-encoded), only to name the copy after it. */
export const UPLOAD_NAME_HEADER = 'x-switchyard-file-name';
/** Snapshots carry weeks of samples; a few hundred MiB is ordinary, beyond this is not a snapshot. */
export const MAX_SNAPSHOT_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

export interface SnapshotUploads {
  /** `<dataDir>/snapshots`, the only folder uploads are written to. */
  folder: string;
  maxBytes?: number;
}

export async function handleSnapshotUpload(req: IncomingMessage, res: ServerResponse, uploads: SnapshotUploads, dispatch: Dispatch): Promise<void> {
  const limit = uploads.maxBytes ?? MAX_SNAPSHOT_UPLOAD_BYTES;
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return sendError(res, 405, { code: 'invalid-input', message: `${SNAPSHOT_UPLOAD_PATH} takes POST only.` });
  }
  // Not a type a cross-site form or no-cors fetch can send, so only our own page gets this far.
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/octet-stream') {
    return sendError(res, 415, { code: 'invalid-input', message: 'A snapshot upload must be sent as application/octet-stream.', field: 'file' });
  }
  if (Number(req.headers['content-length'] ?? '0') > limit) return drainThenRefuse(req, res, tooLarge(limit));

  mkdirSync(uploads.folder, { recursive: true });
  const partial = path.join(uploads.folder, `upload.partial-${randomUUID()}`);
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > limit ? new Error('too-large') : null, chunk);
    },
  });
  try {
    await pipeline(req, counter, createWriteStream(partial, { flags: 'wx' }));
  } catch (error) {
    rmSync(partial, { force: true });
    if (size > limit) return drainThenRefuse(req, res, tooLarge(limit));
    throw error;
  }
  if (size === 0) {
    rmSync(partial, { force: true });
    return sendError(res, 400, { code: 'invalid-input', message: 'The uploaded file is empty: it is not a Switchyard snapshot.', field: 'file' });
  }
  const name = place(partial, uploads.folder, originalName(req));
  const result = await dispatch('snapshots:open', { file: name });
  if (!result.ok) rmSync(path.join(uploads.folder, name), { force: true });
  sendJson(res, 200, result);
}

/** Links the finished upload under a free name (a link fails rather than replaces), then drops the temporary name. */
function place(partial: string, folder: string, original: string): string {
  const taken = new Set<string>();
  for (;;) {
    const name = uploadFileName(original, (n) => taken.has(n));
    try {
      linkSync(partial, path.join(folder, name));
      rmSync(partial, { force: true });
      return name;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      taken.add(name);
    }
  }
}

function originalName(req: IncomingMessage): string {
  const raw = req.headers[UPLOAD_NAME_HEADER];
  if (typeof raw !== 'string') return '';
  try {
    return decodeURIComponent(raw).slice(0, 300);
  } catch {
    return '';
  }
}

function tooLarge(limit: number) {
  const size = limit >= 1024 * 1024 ? `${Math.round(limit / 1024 / 1024)} MiB` : `${limit} bytes`;
  return { code: 'invalid-input' as const, message: `The file is larger than ${size}, the most a snapshot upload may be.`, field: 'file' };
}

/** Reads what the client still sends before answering: refusing mid-send resets the connection and loses the 413. */
function drainThenRefuse(req: IncomingMessage, res: ServerResponse, error: ReturnType<typeof tooLarge>): Promise<void> {
  return new Promise((resolve) => {
    const answer = () => {
      if (!res.headersSent) sendError(res, 413, error);
      resolve();
    };
    if (req.complete || req.readableEnded) return answer();
    req.on('end', answer);
    req.on('error', answer);
    req.resume();
  });
}
