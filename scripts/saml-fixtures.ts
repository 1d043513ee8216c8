/**
 * `npm run fixtures:saml` — signs the SAML test responses listed in
 * server/src/modules/pass/sso/saml-fixtures.ts with Debian's xmlsec1 (the signer independent of
 * node-saml's XML stack) and writes them to server/src/modules/pass/sso/fixtures/saml/. The throwaway
 * TEST-ONLY IdP key pairs there are made once (selfsigned) and then reused. Needs xmlsec1
 * (`apt-get install -y xmlsec1`); `npm test` does not — it replays the committed files (issue 10).
 *
 *   npm run fixtures:saml                     regenerate the committed fixtures
 *   npm run fixtures:saml -- --out DIR        write them to DIR instead (with the committed keys)
 *   npm run fixtures:saml -- --check          what .ci/run runs: regenerate into a temp folder, verify
 *                                             every regenerated and every committed fixture with xmlsec1
 *                                             against its committed certificate, and require the
 *                                             committed files to be what the generator produces
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  FIXTURE_ISSUED_AT,
  FIXTURE_NAMES,
  FIXTURE_SIGNERS,
  fixtureFileOf,
  fixtureSignerOf,
  fixtureTemplate,
  keyFilesOf,
  SAML_FIXTURES_DIR,
  type FixtureName,
} from '../server/src/modules/pass/sso/saml-fixtures';
import { generateIdpKeys } from '../server/src/modules/pass/sso/saml-test-idp';

const ID_ATTRS = ['--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:assertion:Assertion', '--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:protocol:Response'];

function xmlsec1(args: string[]): { ok: boolean; output: string } {
  try {
    execFileSync('xmlsec1', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, output: '' };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (failure.code === 'ENOENT') throw new Error('xmlsec1 is needed to sign or check the SAML fixtures: apt-get install -y xmlsec1');
    return { ok: false, output: String(failure.stderr ?? failure.message) };
  }
}

/** Makes the TEST-ONLY key pairs that are missing (valid for a century around the fixtures' time). */
async function ensureKeys(): Promise<void> {
  for (const signer of FIXTURE_SIGNERS) {
    const files = keyFilesOf(signer);
    if (existsSync(files.key) && existsSync(files.cert)) continue;
    mkdirSync(path.dirname(files.key), { recursive: true });
    const from = new Date(FIXTURE_ISSUED_AT.getTime() - 365 * 86_400_000);
    const keys = await generateIdpKeys(`${signer}.saml-fixtures.TEST-ONLY.invalid`, { from, until: new Date(from.getTime() + 100 * 365 * 86_400_000) });
    writeFileSync(files.key, keys.key);
    writeFileSync(files.cert, keys.cert);
    console.log(`made the TEST-ONLY key pair ${path.relative(process.cwd(), files.key)}`);
  }
}

/** Signs every fixture's template with its signer's committed key, into `outDir`. */
function generate(outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(path.join(tmpdir(), 'saml-fixtures-'));
  try {
    for (const name of FIXTURE_NAMES) {
      const files = keyFilesOf(fixtureSignerOf(name));
      const template = path.join(work, `${name}.xml`);
      writeFileSync(template, fixtureTemplate(name));
      const signed = xmlsec1(['--sign', '--privkey-pem', `${files.key},${files.cert}`, ...ID_ATTRS, '--output', fixtureFileOf(name, outDir), template]);
      if (!signed.ok) throw new Error(`xmlsec1 could not sign ${name}: ${signed.output}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * xmlsec1 checks the signature with the signer's committed certificate only (`--enabled-key-data rsa`
 * ignores the certificate the document itself carries in KeyInfo).
 */
function verify(file: string, name: FixtureName): string | null {
  const cert = keyFilesOf(fixtureSignerOf(name)).cert;
  const result = xmlsec1(['--verify', '--enabled-key-data', 'rsa', '--pubkey-cert-pem', cert, ...ID_ATTRS, file]);
  return result.ok ? null : result.output.trim().split('\n').slice(-3).join(' | ');
}

/**
 * Equal up to the line wrapping of base64 values (which xmlsec1 versions may format differently):
 * the signature values themselves are deterministic, so any hand edit — also of a part the signature
 * does not cover, such as the Response's attributes when only the Assertion is signed — shows.
 */
const normalized = (xml: string) => xml.replace(/(<ds:(?:SignatureValue|DigestValue|X509Certificate)>)([^<]*)(<)/g, (_all, open: string, value: string, close: string) => `${open}${value.replace(/\s+/g, '')}${close}`);

function check(): number {
  const fresh = mkdtempSync(path.join(tmpdir(), 'saml-fixtures-check-'));
  const problems: string[] = [];
  try {
    generate(fresh);
    for (const name of FIXTURE_NAMES) {
      const regenerated = verify(fixtureFileOf(name, fresh), name);
      if (regenerated) problems.push(`${name}: the generator's fresh output does not verify with xmlsec1 (${regenerated})`);
      const committedFile = fixtureFileOf(name);
      if (!existsSync(committedFile)) {
        problems.push(`${name}: not committed (run npm run fixtures:saml)`);
        continue;
      }
      const committed = verify(committedFile, name);
      if (committed) problems.push(`${name}: the committed fixture does not verify with xmlsec1 against keys/${fixtureSignerOf(name)}.TEST-ONLY.cert.pem (${committed})`);
      else if (normalized(readFileSync(committedFile, 'utf8')) !== normalized(readFileSync(fixtureFileOf(name, fresh), 'utf8')))
        problems.push(`${name}: the committed fixture differs from what the generator produces (edited by hand, or the generator changed: run npm run fixtures:saml)`);
    }
    const known = new Set(FIXTURE_NAMES.map((name) => `${name}.xml`));
    for (const file of readdirSync(SAML_FIXTURES_DIR).filter((f) => f.endsWith('.xml') && !known.has(f))) problems.push(`${file}: committed but no longer generated`);
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
  for (const problem of problems) console.error(`SAML fixture check: ${problem}`);
  if (problems.length === 0) console.log(`SAML fixtures: ${FIXTURE_NAMES.length} regenerated and verified with xmlsec1; the ${FIXTURE_NAMES.length} committed ones verify and are current`);
  return problems.length === 0 ? 0 : 1;
}

const { values } = parseArgs({ options: { out: { type: 'string' }, check: { type: 'boolean', default: false } } });
try {
  if (values.check) {
    process.exitCode = check();
  } else {
    await ensureKeys();
    const outDir = values.out ? path.resolve(values.out) : SAML_FIXTURES_DIR;
    generate(outDir);
    console.log(`SAML fixtures: ${FIXTURE_NAMES.length} signed with xmlsec1 into ${path.relative(process.cwd(), outDir) || '.'}`);
  }
} catch (error) {
  console.error(`SAML fixtures: ${(error as Error).message}`);
  process.exitCode = 1;
}
