// Runs Blnk's official TypeScript SDK (@blnkfinance/blnk-typescript, pinned in package.json)
// against a running example ledger server, as a new user would, and prints the SDK's view of each
// call: status, error code and message. Exits non-zero if any check fails.
//
// Environment: BLNK_BASE_URL (e.g. http://localhost:5001), BLNK_MASTER_KEY, SDK_DIR (the directory
// holding node_modules), OVERSIZE_ATTEMPTS (default 50), OVERSIZE_MIB (default "6,8,16").
'use strict';

const path = require('path');
const fs = require('fs');
const os = require('os');
const { execFileSync, spawnSync } = require('child_process');

const baseUrl = required('BLNK_BASE_URL');
const masterKey = required('BLNK_MASTER_KEY');
const sdkDir = required('SDK_DIR');
const attempts = Number(process.env.OVERSIZE_ATTEMPTS || '50');
const sizesMiB = (process.env.OVERSIZE_MIB || '6,8,16').split(',').map(Number);

const sdkPackage = path.join(sdkDir, 'node_modules', '@blnkfinance', 'blnk-typescript');
const { BlnkInit } = require(sdkPackage);
const sdkVersion = JSON.parse(fs.readFileSync(path.join(sdkPackage, 'package.json'), 'utf8')).version;

function required(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return v;
}

/** The SDK's logger prints every failed request; keep the output to the SDK's answers. */
const quietLogger = { info() {}, error() {}, debug() {} };

function client(key) {
  return BlnkInit(key, { baseUrl, logger: quietLogger, timeout: 60000 });
}

let failures = 0;
let checks = 0;

/** One line per call: what the SDK returned. */
function view(label, r) {
  const code = r.error ? r.error.code : '-';
  const msg = r.error ? r.error.message : r.message;
  console.log(`${label.padEnd(58)} -> ${r.status} ${code} "${msg}"`);
}

function check(label, ok, detail) {
  checks++;
  if (!ok) {
    failures++;
    console.log(`  FAIL ${label}${detail ? ': ' + detail : ''}`);
  }
}

/** Calls, prints, and checks status, code and message of a refusal as the SDK reports it. */
async function expectError(label, call, status, code, message) {
  const r = await call();
  view(label, r);
  check(label, r.status === status, `status ${r.status}, expected ${status}`);
  check(label, r.error && r.error.code === code, `code ${r.error && r.error.code}, expected ${code}`);
  const got = r.error && r.error.message;
  check(label, message === null ? typeof got === 'string' && got.length > 0 : got === message,
    `message "${got}", expected ${message === null ? 'one' : '"' + message + '"'}`);
  return r;
}

async function expectOk(label, call, status) {
  const r = await call();
  view(label, r);
  check(label, r.status === status && !r.error, `status ${r.status}, expected ${status}`);
  return r;
}

function generatedBy(record) {
  return record && record.meta_data ? record.meta_data.BLNK_GENERATED_BY : undefined;
}

const future = '2030-01-01T00:00:00Z';

async function main() {
  console.log(`@blnkfinance/blnk-typescript ${sdkVersion}, node ${process.version}, server ${baseUrl}`);
  const master = client(masterKey);

  console.log('\n# keys created through the SDK (ApiKeys.create, master key)');
  const created = await expectOk(
    'ApiKeys.create {ledgers,balances,transactions}',
    () =>
      master.ApiKeys.create({
        name: 'sdk conformance',
        owner: 'team-sdk',
        scopes: ['ledgers:read', 'ledgers:write', 'balances:read', 'balances:write', 'transactions:read', 'transactions:write'],
        expires_at: future,
      }),
    201);
  const key = created.data.key;
  const keyId = created.data.api_key_id;
  check('created key has the Blnk form', /^blnk_[0-9A-Za-z]{49}$/.test(key) && /^api_key_[0-9a-f-]{36}$/.test(keyId));
  const scoped = client(key);

  console.log('\n# ledgers, balances and transactions with the scoped key; BLNK_GENERATED_BY');
  const ledger = await expectOk('Ledgers.create', () => scoped.Ledgers.create({ name: 'SDK ledger', meta_data: { BLNK_GENERATED_BY: 'forged' } }), 201);
  check('ledger tagged, forged value overwritten', generatedBy(ledger.data) === keyId, JSON.stringify(ledger.data.meta_data));
  const ledgerRead = await expectOk('Ledgers.get', () => scoped.Ledgers.get(ledger.data.ledger_id), 200);
  console.log(`  ledger meta_data.BLNK_GENERATED_BY = ${generatedBy(ledgerRead.data)}`);
  check('ledger read back with BLNK_GENERATED_BY', generatedBy(ledgerRead.data) === keyId);

  const balance = await expectOk('LedgerBalances.create', () => scoped.LedgerBalances.create({ ledger_id: ledger.data.ledger_id, currency: 'USD', meta_data: { team: 'sdk' } }), 201);
  check('balance tagged, own meta_data kept', generatedBy(balance.data) === keyId && balance.data.meta_data.team === 'sdk');
  const balanceRead = await expectOk('LedgerBalances.get', () => scoped.LedgerBalances.get(balance.data.balance_id), 200);
  console.log(`  balance meta_data.BLNK_GENERATED_BY = ${generatedBy(balanceRead.data)}`);
  check('balance read back with BLNK_GENERATED_BY', generatedBy(balanceRead.data) === keyId);

  const txn = await expectOk(
    'Transactions.create',
    () =>
      scoped.Transactions.create({
        amount: 750, precision: 100, reference: 'sdk-ref-001', description: 'SDK conformance', currency: 'USD',
        source: '@world', destination: balance.data.balance_id, meta_data: { BLNK_GENERATED_BY: 'forged' },
      }),
    201);
  check('transaction tagged', generatedBy(txn.data) === keyId);
  const txnRead = await expectOk('Transactions.get', () => scoped.Transactions.get(txn.data.transaction_id), 200);
  console.log(`  transaction meta_data.BLNK_GENERATED_BY = ${generatedBy(txnRead.data)}`);
  check('transaction read back with BLNK_GENERATED_BY', generatedBy(txnRead.data) === keyId);

  const masterLedger = await expectOk('Ledgers.create (master key)', () => master.Ledgers.create({ name: 'master ledger' }), 201);
  check('the master key never tags', generatedBy(masterLedger.data) === undefined);

  console.log('\n# every refusal through the SDK');
  await expectError('no key (BlnkInit with "")', () => client('').Ledgers.get(ledger.data.ledger_id),
    401, 'AUTH_MISSING_API_KEY', 'Authentication required. Use X-Blnk-Key header');
  await expectError('malformed key', () => client('not-a-key').Ledgers.get(ledger.data.ledger_id),
    401, 'AUTH_INVALID_API_KEY', 'Invalid API key');
  await expectError('well-formed unknown key', () => client(key.slice(0, 5) + 'A' + key.slice(6)).Ledgers.get(ledger.data.ledger_id),
    401, 'AUTH_INVALID_API_KEY', 'Invalid API key');

  const reader = (await master.ApiKeys.create({ name: 'reader', owner: 'team-sdk', scopes: ['ledgers:read', '*:read'], expires_at: future })).data;
  await expectError('Ledgers.create with a read-only key', () => client(reader.key).Ledgers.create({ name: 'nope' }),
    403, 'AUTH_INSUFFICIENT_PERMISSIONS', 'Insufficient permissions for ledgers:write');
  await expectError('Transactions.create with a read-only key', () => client(reader.key).Transactions.create({
    amount: 1, precision: 100, reference: 'r', description: 'd', currency: 'USD', source: '@world', destination: '@x' }),
    403, 'AUTH_INSUFFICIENT_PERMISSIONS', 'Insufficient permissions for transactions:write');

  const all = (await master.ApiKeys.create({ name: 'everything', owner: 'team-sdk', scopes: ['*:*'], expires_at: future })).data;
  await expectError('Hooks.list with a *:* scoped key', () => client(all.key).Hooks.list(),
    403, 'AUTH_MASTER_KEY_REQUIRED', 'Master key required for this resource');
  await expectError('unknown resource (low-level request)', () => client(all.key).request('no-such-resource', undefined, 'GET'),
    403, 'AUTH_UNKNOWN_RESOURCE', 'Unknown resource type');

  const keyAdmin = (await master.ApiKeys.create({ name: 'key admin', owner: 'team-sdk', scopes: ['api-keys:*', 'ledgers:read'], expires_at: future })).data;
  const admin = client(keyAdmin.key);
  await expectError('ApiKeys.create for another owner', () => admin.ApiKeys.create({ name: 'x', owner: 'team-other', scopes: ['ledgers:read'], expires_at: future }),
    403, 'AUTH_CROSS_OWNER_ACCESS', 'Cannot manage API keys of another owner');
  await expectError('ApiKeys.list of another owner', () => admin.ApiKeys.list({ owner: 'team-other' }),
    403, 'AUTH_CROSS_OWNER_ACCESS', 'Cannot manage API keys of another owner');
  await expectError('ApiKeys.create beyond own scopes', () => admin.ApiKeys.create({ name: 'x', owner: 'team-sdk', scopes: ['*:*'], expires_at: future }),
    403, 'AUTH_SCOPE_ESCALATION', 'Cannot grant scopes beyond your own: *:*');
  await expectOk('ApiKeys.create within own scopes (delegated)', () => admin.ApiKeys.create({ name: 'delegated', owner: 'team-sdk', scopes: ['ledgers:read'], expires_at: '2029-06-01T00:00:00Z' }), 201);
  await expectError('ApiKeys.delete unknown id', () => master.ApiKeys.delete('api_key_00000000-0000-4000-8000-000000000000', { owner: 'team-sdk' }),
    404, 'APIKEY_NOT_FOUND', 'API key not found');
  const other = client((await master.ApiKeys.create({ name: 'other', owner: 'team-other', scopes: ['api-keys:*'], expires_at: future })).data.key);
  await expectError('ApiKeys.delete another owner\'s key', () => other.ApiKeys.delete(keyId),
    404, 'APIKEY_NOT_FOUND', 'API key not found');
  await expectError('ApiKeys.create with an unknown scope', () => master.ApiKeys.create({ name: 'x', owner: 'team-sdk', scopes: ['ledgers:fly'], expires_at: future }),
    400, 'APIKEY_INVALID', null);
  await expectError('ApiKeys.create expiring in the past', () => master.ApiKeys.create({ name: 'x', owner: 'team-sdk', scopes: ['ledgers:read'], expires_at: '2001-01-01T00:00:00Z' }),
    400, 'APIKEY_INVALID', null);
  await expectError('create without owner (low-level; ApiKeys.create requires it)', () => master.request('api-keys', { name: 'x', scopes: ['ledgers:read'], expires_at: future }, 'POST'),
    400, 'APIKEY_OWNER_REQUIRED', 'owner is required when using the master key');
  await expectError('non-expiring key (low-level; ApiKeys.create requires expires_at)', () => master.request('api-keys', { name: 'x', owner: 'team-sdk', scopes: ['ledgers:read'] }, 'POST'),
    400, 'APIKEY_INVALID', null);

  console.log('\n# ApiKeys.list, rotate through the low-level request, revoke and retry');
  const listed = await expectOk('ApiKeys.list {owner: team-sdk}', () => master.ApiKeys.list({ owner: 'team-sdk' }), 200);
  check('listing has no plaintext key or hash', Array.isArray(listed.data) && listed.data.every(k => !('key' in k) && !('key_hash' in k)));
  const rotated = await expectOk('request("api-keys/{id}/rotate", POST)', () => master.request(`api-keys/${keyId}/rotate`, { grace_period: 'PT1H' }, 'POST'), 201);
  check('rotation returns a new key, same name and scopes', rotated.data.key !== key && rotated.data.name === 'sdk conformance');
  await expectOk('old key during the grace period: Ledgers.get', () => scoped.Ledgers.get(ledger.data.ledger_id), 200);
  const fresh = client(rotated.data.key);
  await expectOk('rotated key: Ledgers.get', () => fresh.Ledgers.get(ledger.data.ledger_id), 200);
  await expectOk('ApiKeys.delete (revoke the rotated key)', () => master.ApiKeys.delete(rotated.data.api_key_id, { owner: 'team-sdk' }), 204);
  await expectError('revoked key: Ledgers.get', () => fresh.Ledgers.get(ledger.data.ledger_id),
    401, 'AUTH_EXPIRED_API_KEY', 'API key is expired or revoked');
  await expectOk('ApiKeys.delete (revoke the original)', () => master.ApiKeys.delete(keyId, { owner: 'team-sdk' }), 204);
  await expectError('revoked key: Ledgers.create', () => scoped.Ledgers.create({ name: 'after revoke' }),
    401, 'AUTH_EXPIRED_API_KEY', 'API key is expired or revoked');

  console.log(`\n# oversized bodies: POST /ledgers through Ledgers.create and curl, ${attempts} attempts per size`);
  const writer = client(all.key);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'blnk-oversize-'));
  for (const mib of sizesMiB) {
    const pad = 'x'.repeat(mib * 1024 * 1024);
    // The master key's bodies are limited too; fewer attempts, the path is the same after the check.
    for (const who of [['scoped key', writer, attempts], ['master key', master, Math.min(attempts, 10)]]) {
      const tally = {};
      for (let i = 0; i < who[2]; i++) {
        const r = await who[1].Ledgers.create({ name: 'big', meta_data: { pad } });
        const seen = r.error ? `${r.status} ${r.error.code} "${r.error.message}"` : `${r.status} no code "${r.message}"`;
        tally[seen] = (tally[seen] || 0) + 1;
      }
      report(`SDK Ledgers.create ${mib} MiB, ${who[0]}`, tally, false, who[2]);
    }
    const file = path.join(tmp, `${mib}.json`);
    fs.writeFileSync(file, JSON.stringify({ name: 'big', meta_data: { pad } }));
    for (const expect of [['curl (Expect: 100-continue)', []], ['curl (no Expect)', ['-H', 'Expect:']]]) {
      const tally = {};
      for (let i = 0; i < attempts; i++) {
        const r = spawnSync('curl', ['-sS', '-o', '-', '-w', '\n%{http_code}', '-X', 'POST', `${baseUrl}/ledgers`,
          '-H', `X-Blnk-Key: ${all.key}`, '-H', 'Content-Type: application/json', ...expect[1], '--data-binary', `@${file}`],
          { encoding: 'utf8' });
        let seen;
        if (r.status !== 0) {
          seen = `curl exit ${r.status}: ${(r.stderr || '').trim()}`;
        } else {
          const lines = r.stdout.trim().split('\n');
          const status = lines.pop();
          let code = 'no code';
          try { code = JSON.parse(lines.join('\n')).error_detail.code; } catch (e) { /* keep */ }
          seen = `${status} ${code}`;
        }
        tally[seen] = (tally[seen] || 0) + 1;
      }
      report(`${expect[0]} ${mib} MiB`, tally, true, attempts);
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });

  console.log(`\n${checks} checks, ${failures} failed`);
  process.exit(failures === 0 ? 0 : 1);
}

function report(label, tally, curl, expected) {
  const ok = curl ? '413 GEN_PAYLOAD_TOO_LARGE' : '413 GEN_PAYLOAD_TOO_LARGE "Request body too large"';
  const parts = Object.entries(tally).map(([k, n]) => `${n} x ${k}`);
  console.log(`${label.padEnd(44)} -> ${parts.join('; ')}`);
  check(label, tally[ok] === expected, `expected ${expected} x ${ok}`);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
