import { randomUUID } from 'node:crypto';
import { createWriteStream, linkSync, mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { CallError } from '../../contract/result';
import { DomainError } from '../../domain/errors';
import { uploadFileName } from '../../domain/snapshots/file-name';
import { checkSnapshot } from '../../services/snapshots/open-snapshot';
import type { Dispatch } from '../dispatch';
import { sendError, sendJson } from './responses';

// `POST /api/snapshots/upload`: a browser's way to open a snapshot file it holds. The upload is
// first admitted through the contract (`snapshots:admit-upload`: refused on a read-only host, and
// when the folder is past its quota), then written under a temporary name the snapshot list never
// shows, checked as hostile (schema, integrity, in a worker with a deadline), and only when it
// passes given a name in the folder and opened through the contract's own `snapshots:open`. A
// file refused at any step is removed: nothing useless stays, nothing is left to hang a restart.

export const SNAPSHOT_UPLOAD_PATH = '/api/snapshots/upload';
/** The header carrying the chosen file's name (URI-encoded), only to name the copy after it. */
export const UPLOAD_NAME_HEADER = 'x-switchyard-file-name';
/** Snapshots carry weeks of samples; a few hundred MiB is ordinary, beyond this is not a snapshot. */
export const MAX_SNAPSHOT_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

export interface SnapshotUploads {
  /** `<dataDir>/snapshots`, the only folder uploads are written to. */
  folder: string;
  maxBytes?: number;
  nativeBinding?: string;
}

export async function handleSnapshotUpload(
  req: IncomingMessage,
  res: ServerResponse,
  uploads: SnapshotUploads,
  dispatch: Dispatch,
): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return sendError(res, 405, { code: 'invalid-input', message: `${SNAPSHOT_UPLOAD_PATH} takes POST only.` });
  }
  // Not a type a cross-site form or no-cors fetch can send, so only our own page gets this far.
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/octet-stream') {
    return sendError(res, 415, {
      code: 'invalid-input',
      message: 'A snapshot upload must be sent as application/octet-stream.',
      field: 'file',
    });
  }
  const declared = Number(req.headers['content-length'] ?? '0');
  const admitted = await dispatch('snapshots:admit-upload', { bytes: Number.isSafeInteger(declared) && declared > 0 ? declared : 0 });
  if (!admitted.ok) return drainThenRefuse(req, res, admitted.error.code === 'read-only' ? 403 : 507, admitted.error);
  const { maxBytes } = admitted.data as { maxBytes: number };
  const limit = Math.min(uploads.maxBytes ?? MAX_SNAPSHOT_UPLOAD_BYTES, maxBytes);
  if (declared > limit) return drainThenRefuse(req, res, 413, tooLarge(limit));

  mkdirSync(uploads.folder, { recursive: true });
  const partial = path.join(uploads.folder, `upload.partial-${randomUUID()}`);
  try {
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
      if (size > limit) return await drainThenRefuse(req, res, 413, tooLarge(limit));
      throw error;
    }
    if (size === 0) {
      return sendError(res, 400, {
        code: 'invalid-input',
        message: 'The uploaded file is empty: it is not a Switchyard snapshot.',
        field: 'file',
      });
    }
    const original = originalName(req);
    try {
      await checkSnapshot(partial, {
        quickCheck: true,
        shownAs: original === '' ? 'The uploaded file' : path.basename(original),
        ...(uploads.nativeBinding ? { nativeBinding: uploads.nativeBinding } : {}),
      });
    } catch (error) {
      if (error instanceof DomainError) return sendError(res, 400, { code: error.code, message: error.message, field: 'file' });
      throw error;
    }
    const name = place(partial, uploads.folder, original);
    const result = await dispatch('snapshots:open', { file: name });
    if (!result.ok) rmSync(path.join(uploads.folder, name), { force: true });
    sendJson(res, 200, result);
  } finally {
    rmSync(partial, { force: true });
  }
}

/** Links the checked upload under a free name (a link fails rather than replaces); the temporary name is dropped by the caller. */
function place(partial: string, folder: string, original: string): string {
  const taken = new Set<string>();
  for (;;) {
    const name = uploadFileName(original, (n) => taken.has(n));
    try {
      linkSync(partial, path.join(folder, name));
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

function tooLarge(limit: number): CallError {
  const size = limit >= 1024 * 1024 ? `${Math.round(limit / 1024 / 1024)} MiB` : `${limit} bytes`;
  return { code: 'invalid-input', message: `The file is larger than ${size}, the most a snapshot upload may be.`, field: 'file' };
}

/** Reads what the client still sends before answering: refusing mid-send resets the connection and loses the answer. */
function drainThenRefuse(req: IncomingMessage, res: ServerResponse, status: number, error: CallError): Promise<void> {
  return new Promise((resolve) => {
    const answer = () => {
      if (!res.headersSent) sendError(res, status, error);
      resolve();
    };
    if (req.complete || req.readableEnded) return answer();
    req.on('end', answer);
    req.on('error', answer);
    req.resume();
  });
}
