import { activateOutcome, type CertificateRecipes } from '../../domain/ssh/certificate-recipes';
import { renderCommand } from '../../domain/ssh/recipe';
import { buildTlsConfig, type TlsConfig, type TlsEntry } from '../../domain/certificates/tls-config';
import type { ServerExec } from '../ssh/server-exec';
import type { StoredServer } from '../store/servers-repo';
import { errorMessage } from '../../domain/error-message';

// Puts a server's certificates in place over SSH. Every file travels on stdin (the key never on a
// command line, nor in any log), is first written beside its target as `<file>.switchyard-new`
// (the key created 0600 from the start), and only when all are staged does `activate` swap them in
// and ask Kamailio to reload its TLS configuration; a refused reload puts the previous files back,
// so the server keeps serving what it served.

export interface InstallEntry extends Omit<TlsEntry, 'chainFile' | 'keyFile'> {
  chainPem: string;
  keyPem: string;
}

export interface InstallResult {
  state: 'installed' | 'refused' | 'failed';
  step: string;
  message: string;
  notes: string[];
  tlsConfig: string | null;
}

const lastLine = (text: string): string => text.trim().split('\n').pop()?.trim() ?? '';

export async function installCertificates(input: {
  server: StoredServer;
  entries: readonly InstallEntry[];
  recipe: CertificateRecipes;
  exec: ServerExec;
  progress: (step: string) => void;
}): Promise<InstallResult> {
  const { server, recipe, exec, progress } = input;
  const where = `${server.alias} (${server.ip})`;
  const { dir, tlsConfig: tlsPath, method } = recipe.defaults;
  const files = input.entries.map((e) => ({
    entry: e,
    chainFile: `${dir}/${e.certificateId}.pem`,
    keyFile: `${dir}/${e.certificateId}.key`,
  }));
  let config: TlsConfig;
  try {
    config = buildTlsConfig({
      serverLabel: where,
      fqdn: server.config.fqdn,
      method,
      entries: files.map(({ entry, chainFile, keyFile }) => ({ ...entry, chainFile, keyFile })),
    });
  } catch (err) {
    return { state: 'failed', step: 'Writing tls.cfg', message: errorMessage(err), notes: [], tlsConfig: null };
  }
  const uploads = [
    ...files.flatMap(({ entry, chainFile, keyFile }) => [
      { path: chainFile, mode: '0644', content: entry.chainPem, what: `the chain of ${entry.name}` },
      { path: keyFile, mode: '0600', content: entry.keyPem, what: `the private key of ${entry.name}` },
    ]),
    { path: tlsPath, mode: '0644', content: `${config.text}\n`, what: 'tls.cfg' },
  ];
  const failed = (step: string, message: string): InstallResult => ({
    state: 'failed',
    step,
    message,
    notes: config.notes,
    tlsConfig: config.text,
  });
  const defaults = recipe.defaults as unknown as Record<string, string>;

  for (const upload of uploads) {
    const step = `Writing ${upload.what}`;
    progress(step);
    const { argv } = renderCommand(
      recipe.stage.command,
      { file: upload.path, mode: upload.mode },
      { ...defaults, ...recipe.stage.defaults },
      recipe.stage.label,
    );
    try {
      const result = await exec(server, argv, { input: upload.content, timeoutMs: recipe.stage.timeoutSec * 1000 });
      if (result.failure)
        return failed(step, `Writing ${upload.what} to ${where} did not finish (${result.failure}). Nothing was changed on the server.`);
      if (result.code !== 0 || !/staged/.test(result.stdout)) {
        return failed(
          step,
          `Writing ${upload.what} to ${upload.path} on ${where} failed (exit ${result.code ?? result.signal ?? '?'}): ${lastLine(result.stderr) || lastLine(result.stdout) || 'no output'}. Nothing was changed on the server.`,
        );
      }
    } catch (err) {
      return failed(step, `${where}: ${errorMessage(err)} Nothing was changed on the server.`);
    }
  }

  const step = 'Reloading TLS (kamcmd tls.reload)';
  progress(step);
  const { argv } = renderCommand(recipe.activate.command, {}, { ...defaults, ...recipe.activate.defaults }, recipe.activate.label);
  const list = `${uploads.map((u) => u.path).join('\n')}\n`;
  try {
    const result = await exec(server, argv, { input: list, timeoutMs: recipe.activate.timeoutSec * 1000 });
    const outcome = activateOutcome(result.stdout);
    if (result.failure && !outcome)
      return failed(step, `Activating the new files on ${where} did not finish (${result.failure}); check the server's ${tlsPath}.`);
    if (outcome?.outcome === 'installed' && result.code === 0) {
      const count = files.length;
      return {
        state: 'installed',
        step,
        message: `${count} certificate${count === 1 ? '' : 's'} installed on ${where} and TLS reloaded without a restart (kamcmd: ${outcome.detail.replace(/\.$/, '') || 'ok'}).`,
        notes: config.notes,
        tlsConfig: config.text,
      };
    }
    if (outcome?.outcome === 'refused') {
      return {
        state: 'refused',
        step,
        message: `${where} refused the new TLS configuration (kamcmd tls.reload said: ${outcome.detail || 'nothing'}). The previous files were put back; Kamailio keeps serving the configuration it had.`,
        notes: config.notes,
        tlsConfig: config.text,
      };
    }
    return failed(
      step,
      `Activating the new files on ${where} failed: ${outcome?.detail || lastLine(result.stderr) || lastLine(result.stdout) || `exit ${result.code ?? '?'}`}. The previous files were left in place.`,
    );
  } catch (err) {
    return failed(step, `${where}: ${errorMessage(err)}`);
  }
}
