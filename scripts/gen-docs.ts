// `npm run docs`: regenerates docs/reference.md from the config specs (worker and connectors), so
// the reference cannot drift from what the parser and validators accept. A unit test checks it.
import { writeFile } from 'node:fs/promises';
import { renderReference } from '../packages/runtime/test/docs/render-reference.ts';

const out = new URL('../docs/reference.md', import.meta.url);
await writeFile(out, renderReference());
process.stdout.write(`written ${out.pathname}\n`);
