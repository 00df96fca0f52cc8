// Independent verification of a Cursus credential with Digital Bazaar's implementation.
//
//   node verify.mjs CREDENTIAL.json DID_DOCUMENT.json [STATUS_LIST.json]
//
// Fully offline: the document loader serves the JSON-LD contexts bundled with Cursus,
// the DID document (and its verification methods) from the given file, and the status
// list credential from the given file; any other URL is refused. Prints one JSON line
// {verified, revoked, statusListVerified, errors}. The status list library would report
// a revoked credential as verified, so the revocation bit is read here.
import {readFileSync} from 'node:fs';
import {gunzipSync} from 'node:zlib';
import {fileURLToPath} from 'node:url';
import path from 'node:path';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';

const here = path.dirname(fileURLToPath(import.meta.url));
const contextDir = path.join(here, '..', '..', 'cursus', 'credentials', 'vc', 'contexts');
const readJson = file => JSON.parse(readFileSync(file, 'utf8'));

const contexts = new Map([
  ['https://www.w3.org/ns/credentials/v2', 'credentials-v2.json'],
  ['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json', 'ob-v3p0-context-3.0.3.json'],
].map(([url, file]) => [url, readJson(path.join(contextDir, file))]));

const [credentialFile, didFile, statusFile] = process.argv.slice(2);
const credential = readJson(credentialFile);
const didDocument = readJson(didFile);
const statusList = statusFile ? readJson(statusFile) : null;

const documents = new Map();
documents.set(didDocument.id, didDocument);
for(const method of didDocument.verificationMethod || []) {
  documents.set(method.id, {'@context': 'https://w3id.org/security/multikey/v1', ...method});
}
if(statusList) {
  documents.set(statusList.id, statusList);
}

const documentLoader = async url => {
  const document = contexts.get(url) || documents.get(url);
  if(!document) {
    throw new Error(`Refusing to load ${url}: nothing is fetched.`);
  }
  return {contextUrl: null, documentUrl: url, document: structuredClone(document)};
};

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

const describe = result => (result.error && (result.error.errors || [result.error]) || [])
  .map(error => String(error.message || error));

function readBit(encodedList, index) {
  if(!encodedList.startsWith('u')) {
    throw new Error('encodedList is not multibase base64url.');
  }
  const bits = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  if(index < 0 || index >= bits.length * 8) {
    throw new Error('statusListIndex is out of range.');
  }
  return (bits[Math.floor(index / 8)] & (0x80 >> (index % 8))) !== 0;
}

const output = {verified: false, revoked: null, statusListVerified: null, errors: []};
try {
  // The revocation bit is read below: the status check here only lets the library
  // accept a credential that has a credentialStatus.
  const checkStatus = async () => ({verified: true});
  const result = await vc.verifyCredential({
    credential, suite, documentLoader, checkStatus
  });
  output.verified = result.verified === true;
  output.errors.push(...describe(result));
  const status = credential.credentialStatus;
  if(statusList && status) {
    const listResult = await vc.verifyCredential({
      credential: statusList, suite, documentLoader
    });
    output.statusListVerified = listResult.verified === true;
    output.errors.push(...describe(listResult));
    if(status.statusListCredential !== statusList.id) {
      throw new Error('The status list is not the one the credential points to.');
    }
    const index = Number.parseInt(status.statusListIndex, 10);
    output.revoked = readBit(statusList.credentialSubject.encodedList, index);
  }
} catch(error) {
  output.verified = false;
  output.errors.push(String(error.message || error));
}
console.log(JSON.stringify(output));
